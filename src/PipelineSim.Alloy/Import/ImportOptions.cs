namespace PipelineSim.Alloy.Import;

/// <summary>What <c>import</c> cannot read from Alloy files: the fleet, the run, the network, the backend.</summary>
public sealed record ImportOptions
{
    public string Name { get; init; } = "imported";

    /// <summary>Agents running each source (the agents' config runs on every one of them).</summary>
    public int Agents { get; init; } = 20;

    /// <summary>Replaces the sources' intervals.</summary>
    public TimeSpan? PushInterval { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(20);

    public ulong Seed { get; init; } = 1;

    /// <summary>Backend latency as a scenario distribution. The troubleshooting guide quotes 500-1000ms on average.</summary>
    public string Latency { get; init; } = "lognormal(mean: 700ms, sigma: 0.4)";

    /// <summary>When set, every idle flow from a writer behind a receiver to its backend is silently dropped at this
    /// time (a NAT or load balancer failover), and the run expects what the timeout chain predicts.</summary>
    public TimeSpan? DropIdleFlowsAt { get; init; }
}
