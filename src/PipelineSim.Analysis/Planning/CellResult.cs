namespace PipelineSim.Analysis.Planning;

/// <summary>
/// What one run (one point, one replication) established: a row of <c>plan.csv</c>. Every field round-trips through
/// the CSV exactly (reals in their shortest round-trip form), so a merged sweep evaluates to the same bytes as an
/// unsharded one.
/// </summary>
public sealed record CellResult
{
    public required int Cell { get; init; }

    public required int Point { get; init; }

    public required int ConnLimit { get; init; }

    /// <summary>Agents in the swept source; null when the fleet is not swept.</summary>
    public int? FleetSize { get; init; }

    public required int Replicas { get; init; }

    public required int Replication { get; init; }

    public required ulong Seed { get; init; }

    /// <summary>
    /// First-hop pushes through the receiver whose outcome counts: every finished push, and every push still in flight
    /// at the end that had already retried (it is late, and counted as not delivered). A push still on its first
    /// attempt at the end has no outcome yet and is left out.
    /// </summary>
    public required long Judged { get; init; }

    public required long Delivered { get; init; }

    public required long Failed { get; init; }

    /// <summary>All first-hop pushes in flight at the end, late or not.</summary>
    public required long InFlight { get; init; }

    /// <summary>In flight at the end after at least one failed attempt: judged, not delivered.</summary>
    public required long LateInFlight { get; init; }

    /// <summary>Nearest-rank latency quantiles of the judged pushes in seconds (a late push at its age so far); NaN when none.</summary>
    public required double LatencyP50 { get; init; }

    public required double LatencyP90 { get; init; }

    public double LatencyP95 { get; init; } = double.NaN;

    public required double LatencyP99 { get; init; }

    /// <summary>Bytes of the judged pushes, for the memory estimate.</summary>
    public required long PushBytes { get; init; }

    /// <summary>Most accepted connections of any one receiver instance.</summary>
    public required int PeakConnections { get; init; }

    /// <summary>Longest time any one instance sat at its limit, in seconds.</summary>
    public required double TimeAtLimit { get; init; }

    /// <summary>Largest accept backlog of any one instance.</summary>
    public required int PeakBacklog { get; init; }

    /// <summary>SYNs dropped, all instances.</summary>
    public required long SynDrops { get; init; }

    public required long ConnectionsAccepted { get; init; }

    /// <summary>Attempts that arrived at the receiver (all instances), the arrival count of the queueing estimate.</summary>
    public required long Requests { get; init; }

    /// <summary>Mean latency of the attempts into the receiver that succeeded, in seconds: the service time. NaN when none did.</summary>
    public required double MeanServiceTime { get; init; }

    public required long SkippedTicks { get; init; }

    /// <summary>Agents that hold a keep-alive connection to the receiver at this point (from the spec).</summary>
    public required long HoldingClients { get; init; }

    public required double HoldingPushRate { get; init; }

    public required double OtherPushRate { get; init; }

    /// <summary>How long the other clients' connections stay accepted after a request, seconds (from the spec).</summary>
    public required double OtherIdleHold { get; init; }

    public required long Events { get; init; }

    /// <summary>Attempts after the first of the judged first-hop pushes: the upstream writer's retries.</summary>
    public long FirstHopRetries { get; init; }

    /// <summary>Finished pushes that a receiver forwarded downstream (pushes with a parent push).</summary>
    public long Forwarded { get; init; }

    /// <summary>Attempts after the first of the forwarded pushes: the downstream writers' retries.</summary>
    public long ForwardedRetries { get; init; }

    /// <summary>Forwarded pushes that failed (the receiver then answers its client 500).</summary>
    public long ForwardedFailed { get; init; }

    /// <summary>
    /// The sides of each claim SLO (<see cref="SloMetric.Claim"/>) as this run computed them, in the sweep's SLO order
    /// among its claims; NaN sides when the run had no value for one of its metrics.
    /// </summary>
    public ClaimValues Claims { get; init; } = ClaimValues.None;

    public double DeliveredRatio => Judged == 0 ? double.NaN : (double)Delivered / Judged;

    public double Latency(double quantile) => quantile switch
    {
        0.5 => LatencyP50,
        0.9 => LatencyP90,
        0.95 => LatencyP95,
        0.99 => LatencyP99,
        _ => throw new ArgumentOutOfRangeException(nameof(quantile), quantile, "The planner keeps p50, p90, p95 and p99."),
    };
}

/// <summary>The claims' sides of one run, compared element by element (so that a run read back from CSV equals itself).</summary>
public sealed record ClaimValues(IReadOnlyList<ClaimSides> Sides)
{
    public static readonly ClaimValues None = new([]);

    public ClaimSides this[int claim] => Sides[claim];

    public int Count => Sides.Count;

    public bool Equals(ClaimValues? other) => other is not null && Sides.SequenceEqual(other.Sides);

    public override int GetHashCode() => Sides.Aggregate(Sides.Count, HashCode.Combine);
}

/// <summary>A claim's two sides from one run (NaN when the run could not compute them).</summary>
public readonly record struct ClaimSides(double Left, double Right)
{
    public bool IsKnown => !double.IsNaN(Left) && !double.IsNaN(Right);

    public double Difference => Left - Right;
}
