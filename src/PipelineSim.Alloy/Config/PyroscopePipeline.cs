using PipelineSim.Alloy.Syntax;
using PipelineSim.Core.Options;

namespace PipelineSim.Alloy.Config;

/// <summary>How much a <see cref="ConfigProblem"/> matters.</summary>
public enum Severity
{
    /// <summary>Alloy would refuse to load the config.</summary>
    Error,

    /// <summary>It loads, but will not behave as the user expects.</summary>
    Warning,

    /// <summary>Information: what was assumed, what is not modelled.</summary>
    Note,
}

/// <summary>A problem in the config found while reading it (not a lint finding about its behaviour).</summary>
public sealed record ConfigProblem(SourcePosition At, Severity Severity, string Message)
{
    public override string ToString() => $"{At}: {Severity.ToString().ToLowerInvariant()}: {Message}";
}

/// <summary>A value the reader had to assume (an unknown, a default); the user should check it.</summary>
public sealed record Assumption(SourcePosition At, string Text);

/// <summary>A setting PipelineSim reads but does not model, with where it is.</summary>
public sealed record Unmodelled(SourcePosition At, string ComponentId, string What);

/// <summary>A component the files do not define completely, and why.</summary>
public sealed record IncompleteComponent(ComponentNode Component, SourcePosition At, string Reason, bool AlloyRejects);

/// <summary>A <c>pyroscope.write</c>.</summary>
public sealed class WriterModel(ComponentNode component)
{
    public ComponentNode Component { get; } = component;

    public List<EndpointModel> Endpoints { get; } = [];

    /// <summary>Who forwards to it: sources and receivers (through relabel/enrich).</summary>
    public List<ComponentNode> FedBy { get; } = [];
}

/// <summary>One <c>endpoint</c> block of a writer, with Alloy's defaults for what it leaves out.</summary>
public sealed class EndpointModel(WriterModel writer, SourcePosition at, WriteEndpointOptions options)
{
    public WriterModel Writer { get; } = writer;

    public SourcePosition At { get; } = at;

    public WriteEndpointOptions Options { get; set; } = options;

    /// <summary>Where each attribute the config gives is (absent: the default applies).</summary>
    public Dictionary<string, SourcePosition> Given { get; } = new(StringComparer.Ordinal);

    /// <summary>Null when the url cannot be known (an environment variable nobody supplied).</summary>
    public Uri? Url { get; set; }

    /// <summary>The receiver this endpoint pushes to, when one of the files listens at its address.</summary>
    public ReceiverModel? Target { get; set; }

    public SourcePosition PositionOf(string attribute) => Given.TryGetValue(attribute, out var at) ? at : At;

    public string Describe() => $"{Writer.Component.Title} endpoint {(Url is null ? "(unknown url)" : Options.Url)}";
}

/// <summary>A <c>pyroscope.receive_http</c>.</summary>
public sealed class ReceiverModel(ComponentNode component, ReceiveHttpOptions options)
{
    public ComponentNode Component { get; } = component;

    public ReceiveHttpOptions Options { get; set; } = options;

    public Dictionary<string, SourcePosition> Given { get; } = new(StringComparer.Ordinal);

    public List<WriterModel> ForwardTo { get; } = [];

    /// <summary>Relabel/enrich components between it and its writers (not modelled).</summary>
    public List<ComponentNode> Through { get; } = [];

    public SourcePosition PositionOf(string attribute) => Given.TryGetValue(attribute, out var at) ? at : Component.At;
}

/// <summary>A profile source: <c>pyroscope.ebpf</c>, <c>pyroscope.scrape</c> or <c>pyroscope.java</c>.</summary>
public sealed class SourceModel(ComponentNode component, ProfileSourceOptions options, SourcePosition? intervalAt)
{
    public ComponentNode Component { get; } = component;

    public string Kind => Component.Kind;

    public ProfileSourceOptions Options { get; } = options;

    /// <summary>How often it pushes: collect_interval, scrape_interval or profiling_config.interval.</summary>
    public TimeSpan Interval => Options.Interval;

    public SourcePosition? IntervalAt { get; } = intervalAt;

    /// <summary>The deadline on each push it makes, or null for none (Core's rule).</summary>
    public TimeSpan? PushDeadline => Options.PushDeadline;

    public List<WriterModel> ForwardTo { get; } = [];

    public List<ComponentNode> Through { get; } = [];
}

/// <summary>The profile pipeline the files describe, with every problem, assumption and unmodelled setting found.</summary>
public sealed class PyroscopePipeline
{
    public required AlloyConfig Config { get; init; }

    public List<SourceModel> Sources { get; } = [];

    public List<WriterModel> Writers { get; } = [];

    public List<ReceiverModel> Receivers { get; } = [];

    public List<ConfigProblem> Problems { get; } = [];

    public List<IncompleteComponent> Incomplete { get; } = [];

    public List<Assumption> Assumptions { get; } = [];

    public List<Unmodelled> NotModelled { get; } = [];

    public IEnumerable<EndpointModel> Endpoints => Writers.SelectMany(w => w.Endpoints);

    /// <summary>The <c>--set</c> paths some attribute read; the others name nothing and are reported.</summary>
    internal HashSet<string> SettingsUsed { get; } = new(StringComparer.Ordinal);

    /// <summary>True when Alloy would refuse the files: syntax errors or errors found reading them.</summary>
    public bool AlloyRejects => Config.Errors.Count > 0 || Problems.Any(p => p.Severity == Severity.Error);
}
