using System.Diagnostics;

namespace PipelineSim.Benchmarks;

/// <summary>One measured workload: how many events in how long, and what it allocated while measured.</summary>
public sealed record BenchFigure(string Workload, long Events, TimeSpan Elapsed, long AllocatedBytes)
{
    public double EventsPerSecond => Events / Elapsed.TotalSeconds;

    public double BytesPerEvent => AllocatedBytes / (double)Events;
}

/// <summary>
/// The quick measurement behind <c>pipelinesim bench</c>: a workload is built, advanced once to warm up (JIT tiering,
/// pools), then advanced <c>repeats</c> times; the fastest run is reported, the usual choice for throughput on a shared
/// machine. Allocation is counted on the measuring thread during the measured runs only. BenchmarkDotNet
/// (<c>benchmarks/PipelineSim.Benchmarks</c>) gives the careful figures; this gives them in seconds.
/// </summary>
public static class QuickBench
{
    public static BenchFigure Measure(string name, IEventWorkload workload, long events, int repeats = 3)
    {
        workload.Advance(events);
        BenchFigure? best = null;
        for (int i = 0; i < repeats; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            long ran = workload.Advance(events);
            clock.Stop();
            var figure = new BenchFigure(name, ran, clock.Elapsed, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
            if (best is null || figure.Elapsed < best.Elapsed) best = figure;
        }
        return best!;
    }

    /// <summary>The workloads of <c>bench kernel</c>; the last one is the bare-heap ceiling the others compare to.</summary>
    public static IReadOnlyList<BenchFigure> Kernel(double scale = 1.0)
    {
        long events = Math.Max(10_000, (long)(5_000_000 * scale));
        return
        [
            Measure("timeouts n=1", new TimeoutLoop(1), events),
            Measure("timeouts n=100", new TimeoutLoop(100), events),
            Measure("timeouts n=10,000", new TimeoutLoop(10_000), events),
            Measure("process churn", new ProcessChurn(), events),
            Measure("resource ping-pong", new ResourcePingPong(), events),
            Measure("bare heap n=10,000", new BareHeap(10_000), events),
        ];
    }
}
