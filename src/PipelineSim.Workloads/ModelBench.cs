using PipelineSim.Core.Records;
using PipelineSim.Model.Workloads;

namespace PipelineSim.Workloads;

/// <summary>
/// The quick measurement behind <c>pipelinesim bench model</c>: the fleet workload run once small to warm up (JIT
/// tiering), then once at the asked size. One run is the figure: a full hour of 10,000 agents is itself long enough
/// to be stable.
/// </summary>
public static class ModelBench
{
    public static FleetMeasurement Fleet(int agents, TimeSpan duration, IRecordSink? sink = null, FleetTier? tier = null,
        CancellationToken cancellation = default)
    {
        FleetWorkload.Measure(Math.Min(agents, 500), TimeSpan.FromMinutes(2), tier: tier, cancellation: cancellation);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return FleetWorkload.Measure(agents, duration, sink, tier, cancellation);
    }
}
