namespace PipelineSim.Spec;

public enum MiddleboxMode
{
    /// <summary>The flow is forgotten silently: later packets vanish, a request hangs until its deadline (Azure LB default).</summary>
    Silent,

    /// <summary>The next packet of a forgotten flow is answered with a reset: the request fails fast (AWS NAT gateway).</summary>
    Rst,
}

/// <summary>
/// A NAT, firewall or connection-tracking load balancer that forgets a flow after <see cref="IdleTimeout"/> without
/// packets. TCP keep-alive probes refresh it only when they come more often than that.
/// </summary>
public sealed record MiddleboxSpec(TimeSpan IdleTimeout, MiddleboxMode Mode = MiddleboxMode.Silent);

/// <summary>The network between two components (either direction). <see cref="Id"/> is how faults name it.</summary>
public sealed record LinkSpec
{
    /// <summary>The connecting side: a writer (all its per-agent copies) or a load balancer.</summary>
    public required string From { get; init; }

    public required string To { get; init; }

    public TimeSpan Rtt { get; init; } = TimeSpan.FromMilliseconds(1);

    public MiddleboxSpec? Middlebox { get; init; }

    public string Id => LinkId(From, To);

    public static string LinkId(string from, string to) => from + "->" + to;
}
