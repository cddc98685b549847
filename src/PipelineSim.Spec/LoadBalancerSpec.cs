namespace PipelineSim.Spec;

public enum LoadBalancerLayer
{
    /// <summary>Balances connections: each TCP connection is pinned to the target chosen when it was opened.</summary>
    L4,

    /// <summary>Terminates HTTP and balances each request over its own pooled connections to the targets.</summary>
    L7,
}

public enum BalancePolicy
{
    RoundRobin,

    /// <summary>The target with the fewest open connections (L4) or requests in flight (L7); ties go round robin.</summary>
    LeastConnections,
}

/// <summary>A load balancer in front of receivers (or backends).</summary>
public sealed record LoadBalancerSpec : ComponentSpec
{
    public LoadBalancerLayer Layer { get; init; } = LoadBalancerLayer.L4;

    public BalancePolicy Policy { get; init; } = BalancePolicy.RoundRobin;

    /// <summary>Names of the components behind it.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>L7 only: idle client connections are closed (FIN) after this long.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>L7 only: idle connections to targets are closed after this long.</summary>
    public TimeSpan UpstreamIdleTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>L7 only: a request the target has not answered in this long gets a 504; null means no limit.</summary>
    public TimeSpan? RequestTimeout { get; init; }
}
