using PipelineSim.Analysis.Queueing;

namespace PipelineSim.Analysis.Tests.Queueing;

public class ErlangATests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    /// <summary>
    /// Reference values from the birth-death chain summed directly to 4,000 states in 50-digit arithmetic (mpmath),
    /// a different computation from the mode-relative walk under test.
    /// </summary>
    [Theory]
    [InlineData(10, 8.0, 1.0, 2.0, 0.038821392298015452, 0.31743435422290114, 0.62114227676824724)]
    [InlineData(4, 5.0, 1.0, 0.5, 0.31609779527319617, 0.64782673927410929, 0.79024448818299044)] // overloaded: A > c
    [InlineData(3, 2.5, 1.0, 10.0, 0.060727458723343692, 0.61183833392311192, 1.5181864680835923)]
    [InlineData(20, 30.0, 1.0, 1.0, 0.33498294386142824, 0.97812653155860915, 10.049488315842847)]
    public void Erlang_a_matches_reference_values(int servers, double lambda, double service, double patience,
        double abandonment, double waitProbability, double meanInQueue)
    {
        var queue = ErlangA.Solve(servers, lambda, S(service), S(patience));
        Assert.Equal(abandonment, queue.AbandonmentProbability, abandonment * 1e-11);
        Assert.Equal(waitProbability, queue.WaitProbability, waitProbability * 1e-11);
        Assert.Equal(meanInQueue, queue.MeanInQueue, meanInQueue * 1e-11);
        Assert.Equal(meanInQueue / lambda, queue.MeanWait.TotalSeconds, 1e-7); // TimeSpan: whole 100 ns ticks
        Assert.Equal(lambda * (1 - abandonment), queue.Throughput, 1e-9);
    }

    /// <summary>
    /// With patience as long as service (θ = μ) every customer present leaves at the same rate, served or not: the
    /// number present is Poisson(A), so P(wait) = P(N ≥ c) and L_q = E[(N − c)⁺]. Here c = 1, A = 1.
    /// </summary>
    [Fact]
    public void With_patience_equal_to_service_the_number_present_is_poisson()
    {
        var queue = ErlangA.Solve(1, 1, S(1), S(1));
        Assert.Equal(1 - Math.Exp(-1), queue.WaitProbability, 12);
        Assert.Equal(Math.Exp(-1), queue.MeanInQueue, 12); // E[N] − P(N ≥ 1) = 1 − (1 − 1/e)
        Assert.Equal(Math.Exp(-1), queue.AbandonmentProbability, 12);
    }

    [Fact]
    public void With_endless_patience_it_is_erlang_c()
    {
        var queue = ErlangA.Solve(10, 8, S(1), TimeSpan.FromDays(10_000));
        Assert.Equal(Erlang.C(10, 8), queue.WaitProbability, 6);
        Assert.Equal(Erlang.MeanWait(10, 8, S(1)).TotalSeconds, queue.MeanWait.TotalSeconds, 5);
        Assert.True(queue.AbandonmentProbability < 1e-6);
    }

    [Fact]
    public void A_deadline_miss_adds_the_served_pushes_whose_patience_ends_in_service()
    {
        var queue = ErlangA.Solve(10, 8, S(1), S(2));
        // θ = 0.5, μ = 1: a served push outlives its deadline with probability 0.5 / 1.5.
        Assert.Equal(queue.AbandonmentProbability + (1 - queue.AbandonmentProbability) / 3, queue.DeadlineMissProbability(S(1), S(2)), 12);
    }

    [Fact]
    public void No_arrivals_no_abandonment()
    {
        var queue = ErlangA.Solve(3, 0, S(1), S(1));
        Assert.Equal(0, queue.AbandonmentProbability);
        Assert.Equal(0, queue.WaitProbability);
    }

    [Fact]
    public void Bad_inputs_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangA.Solve(0, 1, S(1), S(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangA.Solve(1, -1, S(1), S(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangA.Solve(1, 1, TimeSpan.Zero, S(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangA.Solve(1, 1, S(1), TimeSpan.Zero));
    }
}
