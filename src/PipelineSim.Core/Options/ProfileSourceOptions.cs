namespace PipelineSim.Core.Options;

/// <summary>The Alloy components that collect profiles and push them to a <c>pyroscope.write</c>.</summary>
public enum ProfileSourceKind
{
    /// <summary><c>pyroscope.ebpf</c>.</summary>
    Ebpf,

    /// <summary><c>pyroscope.scrape</c>.</summary>
    Scrape,

    /// <summary><c>pyroscope.java</c>.</summary>
    Java,
}

/// <summary>
/// How often a profile source pushes and under which deadline. Defaults: <c>pyroscope.ebpf</c>
/// <c>collect_interval</c> 15s (ebpf NewDefaultArguments), <c>pyroscope.scrape</c> <c>scrape_interval</c> 15s,
/// <c>pyroscope.java</c> <c>profiling_config.interval</c> 60s (java/args.go DefaultArguments).
/// </summary>
public sealed record ProfileSourceOptions(ProfileSourceKind Kind, TimeSpan Interval)
{
    public static TimeSpan DefaultInterval(ProfileSourceKind kind) =>
        kind == ProfileSourceKind.Java ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(15);

    public static ProfileSourceOptions Default(ProfileSourceKind kind) => new(kind, DefaultInterval(kind));

    /// <summary>
    /// The deadline on each push, or null for none: pyroscope.ebpf sends with a context that times out after
    /// collect_interval (ebpf/send.go); scrape (scrape_loop.go) and java (java/loop.go) push with
    /// context.Background().
    /// </summary>
    public TimeSpan? PushDeadline => Kind == ProfileSourceKind.Ebpf ? Interval : null;
}
