using BenchmarkDotNet.Attributes;
using PipelineSim.Core.Records;
using PipelineSim.Model.Workloads;

namespace PipelineSim.Benchmarks;

/// <summary>
/// The quick measurement behind <c>pipelinesim bench model</c>: the fleet workload run once small to warm up (JIT
/// tiering), then once at the asked size. One run is the figure: a full hour of 10,000 agents is itself long enough
/// to be stable.
/// </summary>
public static class ModelBench
{
    public static FleetMeasurement Fleet(int agents, TimeSpan duration, IRecordSink? sink = null)
    {
        FleetWorkload.Measure(Math.Min(agents, 500), TimeSpan.FromMinutes(2));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return FleetWorkload.Measure(agents, duration, sink);
    }
}

/// <summary>BenchmarkDotNet view of the model: one operation per simulated agent push (a two-hop pipeline).</summary>
[MemoryDiagnoser]
public class ModelBenchmarks
{
    private const int Agents = 1_000;
    private static readonly TimeSpan Duration = TimeSpan.FromMinutes(10);
    private const int PushesPerRun = Agents * 40; // every 15 s for 10 min

    [Benchmark(OperationsPerInvoke = PushesPerRun)]
    public long Fleet() => FleetWorkload.Measure(Agents, Duration).SourcePushes;
}
