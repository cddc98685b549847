namespace PipelineSim.Spec;

/// <summary>Something that goes wrong during a run.</summary>
public abstract record FaultSpec;

/// <summary>A fault at a fixed simulated time.</summary>
public abstract record ScheduledFaultSpec : FaultSpec
{
    public required TimeSpan At { get; init; }
}

/// <summary>
/// Every flow on <see cref="Link"/> that is idle at <see cref="ScheduledFaultSpec.At"/> is forgotten by the network
/// (a middlebox failover or state flush). Requests in flight are not affected.
/// </summary>
public sealed record DropIdleFlowsFault : ScheduledFaultSpec
{
    /// <summary>A link id, <c>from-&gt;to</c>.</summary>
    public required string Link { get; init; }

    public MiddleboxMode Mode { get; init; } = MiddleboxMode.Silent;
}

/// <summary>Every packet on <see cref="Link"/> is lost for <see cref="Duration"/>; TCP retransmits once it heals.</summary>
public sealed record PartitionFault : ScheduledFaultSpec
{
    public required string Link { get; init; }

    public required TimeSpan Duration { get; init; }
}

/// <summary>The same as a <see cref="OutageSpec"/> window on the backend.</summary>
public sealed record BackendOutageFault : ScheduledFaultSpec
{
    public required string Backend { get; init; }

    public required TimeSpan Duration { get; init; }

    public OutageMode Mode { get; init; } = OutageMode.Unavailable;
}

/// <summary>
/// A receiver, load balancer or backend restarts: every connection through it is reset, requests in flight fail,
/// and for <see cref="Downtime"/> new connections are refused.
/// </summary>
public sealed record RestartFault : ScheduledFaultSpec
{
    public required string Component { get; init; }

    public TimeSpan Downtime { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Flows on <see cref="Link"/> break at random: each open connection breaks at <see cref="RatePerConnectionHour"/>
/// (a Poisson process per connection), between <see cref="Start"/> and <see cref="Stop"/>.
/// </summary>
public sealed record RandomLinkBreaksFault : FaultSpec
{
    public required string Link { get; init; }

    public required double RatePerConnectionHour { get; init; }

    public MiddleboxMode Mode { get; init; } = MiddleboxMode.Silent;

    public TimeSpan Start { get; init; } = TimeSpan.Zero;

    /// <summary>Null means the end of the run.</summary>
    public TimeSpan? Stop { get; init; }
}
