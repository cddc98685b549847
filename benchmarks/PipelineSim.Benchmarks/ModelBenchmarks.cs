using BenchmarkDotNet.Attributes;
using PipelineSim.Model.Workloads;

namespace PipelineSim.Benchmarks;

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
