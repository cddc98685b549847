using BenchmarkDotNet.Attributes;
using PipelineSim.Workloads;

namespace PipelineSim.Benchmarks;

/// <summary>
/// BenchmarkDotNet view of the kernel workloads, one operation per event. The simulations are built in the global
/// set-up and advanced by each invocation, so MemoryDiagnoser's figure is the steady-state allocation per event.
/// </summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private const int Events = 1_000_000;
    private TimeoutLoop timeouts = null!;
    private BareHeap heap = null!;

    [Params(1, 100, 10_000)]
    public int Processes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        timeouts = new TimeoutLoop(Processes);
        heap = new BareHeap(Processes);
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public long Timeouts() => timeouts.Advance(Events);

    [Benchmark(OperationsPerInvoke = Events, Baseline = true)]
    public long BarePriorityQueue() => heap.Advance(Events);
}

[MemoryDiagnoser]
public class KernelChurnBenchmarks
{
    private const int Events = 1_000_000;

    [Benchmark(OperationsPerInvoke = Events)]
    public long ProcessChurn() => new ProcessChurn().Advance(Events);

    [Benchmark(OperationsPerInvoke = Events)]
    public long ResourcePingPong() => new ResourcePingPong().Advance(Events);
}
