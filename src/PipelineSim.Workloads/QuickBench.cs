using System.Diagnostics;

namespace PipelineSim.Workloads;

/// <summary>One measured workload: how many events in how long, and what it allocated while measured.</summary>
public sealed record BenchFigure(string Workload, long Events, TimeSpan Elapsed, long AllocatedBytes)
{
    public double EventsPerSecond => Events / Elapsed.TotalSeconds;

    public double BytesPerEvent => AllocatedBytes / (double)Events;
}

/// <summary>
/// The quick measurement behind <c>pipelinesim bench</c>: every workload is built and advanced once to warm up (JIT
/// tiering, pools), then the workloads are advanced in turn, round after round, and the fastest round of each is
/// reported, the usual choice for throughput on a shared machine. Taking turns spreads each workload's rounds over the
/// whole measurement, so a burst of load from elsewhere slows one round of several workloads rather than every round of
/// one. Allocation is counted on the measuring thread during the measured rounds only. BenchmarkDotNet
/// (<c>benchmarks/PipelineSim.Benchmarks</c>) gives the careful figures; this gives them in seconds.
/// </summary>
public static class QuickBench
{
    public static IReadOnlyList<BenchFigure> MeasureInTurn(IReadOnlyList<(string Name, IEventWorkload Workload)> workloads, long events, int rounds = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        foreach (var (_, workload) in workloads) workload.Advance(events);
        var best = new BenchFigure?[workloads.Count];
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < workloads.Count; i++)
            {
                var figure = MeasureOnce(workloads[i].Name, workloads[i].Workload, events);
                if (best[i] is not { } fastest || figure.Elapsed < fastest.Elapsed) best[i] = figure;
            }
        }
        return best.Select(figure => figure!).ToList();
    }

    private static BenchFigure MeasureOnce(string name, IEventWorkload workload, long events)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        long ran = workload.Advance(events);
        clock.Stop();
        return new BenchFigure(name, ran, clock.Elapsed, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
    }

    /// <summary>The workloads of <c>bench kernel</c>; the last one is the bare-heap ceiling the others compare to.</summary>
    public static IReadOnlyList<BenchFigure> Kernel(double scale = 1.0)
    {
        long events = Math.Max(10_000, (long)(5_000_000 * scale));
        return MeasureInTurn(
        [
            ("timeouts n=1", new TimeoutLoop(1)),
            ("timeouts n=100", new TimeoutLoop(100)),
            ("timeouts n=10,000", new TimeoutLoop(10_000)),
            ("process churn", new ProcessChurn()),
            ("resource ping-pong", new ResourcePingPong()),
            ("bare heap n=10,000", new BareHeap(10_000)),
        ], events);
    }
}
