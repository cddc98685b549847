namespace PipelineSim.Workloads.Tests;

/// <summary>
/// The bench figures divide by the events a workload says it ran, so each workload must run about what it is asked,
/// and again on a second call (the measured rounds follow a warm-up on the same instance).
/// </summary>
public class KernelWorkloadTests
{
    public static TheoryData<string> Workloads => ["timeouts n=1", "timeouts n=100", "process churn", "resource ping-pong", "bare heap"];

    private static IEventWorkload Create(string name) => name switch
    {
        "timeouts n=1" => new TimeoutLoop(1),
        "timeouts n=100" => new TimeoutLoop(100),
        "process churn" => new ProcessChurn(),
        "resource ping-pong" => new ResourcePingPong(),
        "bare heap" => new BareHeap(100),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Each_advance_runs_about_the_events_asked(string name)
    {
        var workload = Create(name);
        const long asked = 40_000;
        foreach (int call in new[] { 1, 2 })
        {
            long ran = workload.Advance(asked);
            Assert.InRange(ran, asked * 9 / 10, asked * 11 / 10);
        }
    }

    [Fact]
    public void Quick_bench_reports_one_figure_per_workload_in_order_with_the_events_measured()
    {
        var figures = QuickBench.MeasureInTurn([("a", new TimeoutLoop(10)), ("b", new BareHeap(10))], events: 20_000, rounds: 2);

        Assert.Equal(["a", "b"], figures.Select(f => f.Workload));
        Assert.All(figures, f => Assert.InRange(f.Events, 18_000, 22_000));
        Assert.All(figures, f => Assert.True(f.Elapsed > TimeSpan.Zero));
    }
}
