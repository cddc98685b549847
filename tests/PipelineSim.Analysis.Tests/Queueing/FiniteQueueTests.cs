using PipelineSim.Analysis.Queueing;

namespace PipelineSim.Analysis.Tests.Queueing;

public class FiniteQueueTests
{
    private static FiniteQueue Solve(int c, int k, double load) => FiniteQueue.Solve(c, k, load, TimeSpan.FromSeconds(1));

    [Fact]
    public void Mm1k_matches_the_closed_form()
    {
        // M/M/1/K: p_K = (1-ρ)ρ^K / (1-ρ^(K+1)), L = ρ/(1-ρ) - (K+1)ρ^(K+1)/(1-ρ^(K+1)).
        double rho = 0.5;
        int k = 5;
        var q = Solve(1, k, rho);
        Assert.Equal((1 - rho) * Math.Pow(rho, k) / (1 - Math.Pow(rho, k + 1)), q.BlockingProbability, 14);
        Assert.Equal(rho / (1 - rho) - (k + 1) * Math.Pow(rho, k + 1) / (1 - Math.Pow(rho, k + 1)), q.MeanInSystem, 12);
    }

    [Fact]
    public void With_no_waiting_room_it_is_erlang_b()
    {
        var q = Solve(2, 2, 3);
        Assert.Equal(Erlang.B(2, 3), q.BlockingProbability, 14);
        Assert.Equal(0, q.MeanInQueue);
        Assert.Equal(0, q.WaitProbability);
        Assert.Equal(Erlang.B(100_000, 100_000), Solve(100_000, 100_000, 100_000).BlockingProbability, 12);
    }

    [Theory]
    // Reference values computed with 40-digit arithmetic (mpmath) from the stationary distribution.
    [InlineData(3, 6, 4.0, 0.30783105366000301, 4.3270704945137532, 1.5583947091537652)]
    [InlineData(10, 20, 12.0, 0.17966591566870032, 16.104497935101945, 6.2604889231263490)]
    [InlineData(100_000, 101_000, 100_000.0, 0.00071581975364515608, 100286.68581133489, 358.26778669940062)]
    [InlineData(50_000, 60_000, 55_000.0, 0.090909090909090909, 59990.0, 9990.0)]
    public void Matches_reference_values_including_overload_and_a_hundred_thousand_servers(
        int c, int k, double load, double blocking, double inSystem, double inQueue)
    {
        var q = Solve(c, k, load);
        Assert.Equal(blocking, q.BlockingProbability, blocking * 1e-11);
        Assert.Equal(inSystem, q.MeanInSystem, inSystem * 1e-12);
        Assert.Equal(inQueue, q.MeanInQueue, inQueue * 1e-10);
    }

    [Fact]
    public void Times_follow_from_littles_law_on_the_admitted_arrivals()
    {
        var q = FiniteQueue.Solve(3, 6, arrivalsPerSecond: 2, meanServiceTime: TimeSpan.FromSeconds(2));
        Assert.Equal(2 * (1 - q.BlockingProbability), q.Throughput, 12);
        Assert.Equal(q.MeanInSystem / q.Throughput, q.MeanTimeInSystem.TotalSeconds, 6);
        // Each admitted arrival is served for S on average, so W = W_q + S.
        Assert.Equal(q.MeanWait.TotalSeconds + 2, q.MeanTimeInSystem.TotalSeconds, 5);
        Assert.InRange(q.WaitProbability, 0, 1);
    }

    [Fact]
    public void Without_load_nothing_waits_or_is_lost()
    {
        var q = Solve(4, 8, 0);
        Assert.Equal((0.0, 0.0, 0.0), (q.BlockingProbability, q.MeanInSystem, q.WaitProbability));
    }

    [Fact]
    public void Rejects_a_capacity_below_the_servers() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Solve(4, 3, 1));
}
