using PipelineSim.Analysis.Planning;

namespace PipelineSim.Analysis.Tests.Planning;

/// <summary>Sweeps and results for tests that need no simulation.</summary>
internal static class PlanSweeps
{
    public static PlanSweep Synthetic(IReadOnlyList<int> connLimits, int replications = 2, string[]? slos = null,
        IReadOnlyList<int>? replicas = null, int? ceiling = null) => new()
    {
        Scenario = "synthetic.yaml",
        ScenarioName = "synthetic",
        ScenarioSha256 = new string('0', 64),
        Receiver = "r",
        Grid = new PlanGrid(connLimits, null, replicas ?? [1]),
        Replications = replications,
        BaseSeed = 7,
        Duration = TimeSpan.FromMinutes(10),
        Slos = [.. (slos ?? ["delivered>=99%"]).Select(Slo.Parse)],
        PerInstanceCeiling = ceiling,
    };

    public static readonly ReceiverFacts Facts = new(4096, TimeSpan.FromSeconds(120), 1000, TimeSpan.FromSeconds(60));

    /// <summary>A run with <paramref name="delivered"/> of <paramref name="judged"/> pushes delivered and a p99 latency.</summary>
    public static CellResult Run(PlanSweep sweep, PlanCell cell, long judged, long delivered, double p99 = 1, int peak = 0, long holding = 150) => new()
    {
        Cell = cell.Index,
        Point = cell.Point.Index,
        ConnLimit = cell.Point.ConnLimit,
        FleetSize = cell.Point.FleetSize,
        Replicas = cell.Point.Replicas,
        Replication = cell.Replication,
        Seed = cell.Seed,
        Judged = judged,
        Delivered = delivered,
        Failed = judged - delivered,
        InFlight = 0,
        LateInFlight = 0,
        LatencyP50 = p99 / 3,
        LatencyP90 = p99 / 2,
        LatencyP99 = p99,
        PushBytes = judged * 60_000,
        PeakConnections = peak == 0 ? cell.Point.ConnLimit : peak,
        TimeAtLimit = 0,
        PeakBacklog = 0,
        SynDrops = 0,
        ConnectionsAccepted = holding,
        Requests = (long)(2.5 * sweep.Duration.TotalSeconds),
        MeanServiceTime = 0.7,
        SkippedTicks = 0,
        HoldingClients = holding,
        HoldingPushRate = holding / 60.0,
        OtherPushRate = 0,
        OtherIdleHold = 0,
        Events = 1000,
    };

    /// <summary>Results where each point delivers what <paramref name="delivered"/> says of 10,000 pushes per run.</summary>
    public static IReadOnlyList<CellResult> Runs(PlanSweep sweep, Func<PlanPoint, int, long> delivered) =>
        [.. sweep.Cells().Select(c => Run(sweep, c, 10_000, delivered(c.Point, c.Replication)))];
}
