namespace PipelineSim.Core.Options;

/// <summary>Client TCP keep-alive. Go's dialer turns it on by default with these values (net/dial.go constants).</summary>
public sealed record TcpKeepAliveOptions
{
    public static TcpKeepAliveOptions GoDefault { get; } = new();

    public bool Enabled { get; init; } = true;

    /// <summary>Idle time before the first probe.</summary>
    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Time between unanswered probes.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Unanswered probes before the kernel declares the connection dead.</summary>
    public int Count { get; init; } = 9;

    /// <summary>How long a silently dead idle connection survives once probing starts: Idle + Count × Interval.</summary>
    public TimeSpan DeadPeerDetection => Idle + Interval * Count;
}
