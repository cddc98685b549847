using PipelineSim.Core.Agents;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Tests.Agents;

public class PoissonArrivalsTests
{
    private static Instant S(double seconds) => Instant.FromSeconds(seconds);

    private static readonly TimeSpan Ten = TimeSpan.FromSeconds(10);

    /// <summary>Draws handed out in order; the test fails if the schedule asks for more than it was given.</summary>
    private static Func<double> Draws(params double[] values)
    {
        var queue = new Queue<double>(values);
        return () => queue.Dequeue();
    }

    [Theory]
    [InlineData(0.0, 0L)]
    [InlineData(0.5, 69_314_718L)] // 10 s · ln 2 = 6.9314718056 s, to the nearest tick
    [InlineData(0.75, 138_629_436L)] // 10 s · ln 4
    [InlineData(0.6321205588285577, 100_000_000L)] // 1 − 1/e: exactly the mean
    public void A_gap_inverts_the_exponential_distribution(double u, long ticks) =>
        Assert.Equal(ticks, PoissonArrivals.Gap(Ten, u).Ticks);

    [Fact]
    public void A_gap_for_a_draw_next_to_one_is_long_but_finite()
    {
        var gap = PoissonArrivals.Gap(TimeSpan.FromDays(10_000), Math.BitDecrement(1.0));
        Assert.True(gap > TimeSpan.FromDays(300_000) && gap < TimeSpan.MaxValue);
        Assert.Equal(TimeSpan.MaxValue, PoissonArrivals.Gap(TimeSpan.MaxValue, Math.BitDecrement(1.0)));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void A_draw_outside_zero_to_one_is_refused(double u) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PoissonArrivals.Gap(Ten, u));

    [Fact]
    public void The_first_arrival_is_one_gap_after_the_start_with_no_phase()
    {
        var arrivals = new PoissonArrivals(S(100), Ten, S(1000), Draws(0.5));
        Assert.Equal(S(100) + TimeSpan.FromTicks(69_314_718), arrivals.First);
    }

    /// <summary>
    /// The open source: every arrival before the stop pushes, whether or not earlier pushes still run, and the next
    /// arrival is one fresh draw later; pushes running at an arrival are counted as overlapping, never skipped.
    /// </summary>
    [Fact]
    public void Every_arrival_pushes_even_while_earlier_pushes_run()
    {
        var arrivals = new PoissonArrivals(S(0), Ten, S(1000), Draws(0.0, 0.5, 0.75, 0.0));
        Assert.Equal(S(0), arrivals.First);

        var first = arrivals.OnTick(S(0));
        Assert.Equal(new AgentTick(AgentTickKind.Push, S(0) + PoissonArrivals.Gap(Ten, 0.5)), first);
        var second = arrivals.OnTick(first.Next); // the first push still runs
        Assert.Equal(AgentTickKind.Push, second.Kind);
        Assert.Equal(first.Next + PoissonArrivals.Gap(Ten, 0.75), second.Next);
        Assert.Equal(2, arrivals.Running);
        Assert.Equal(1, arrivals.Overlapping);

        arrivals.OnPushDone(S(0));
        arrivals.OnPushDone(S(0));
        var third = arrivals.OnTick(second.Next); // nothing runs now
        Assert.Equal(AgentTickKind.Push, third.Kind);
        Assert.Equal(second.Next, third.Next); // a zero draw: the next arrival shares the instant
        Assert.Equal(1, arrivals.Overlapping);
        Assert.Equal(0, arrivals.SkippedTicks);
    }

    [Fact]
    public void An_arrival_at_or_after_the_stop_ends_the_agent_without_a_draw()
    {
        var arrivals = new PoissonArrivals(S(0), Ten, S(30), Draws(0.0));
        Assert.Equal(new AgentTick(AgentTickKind.Stopped, Instant.MaxValue), arrivals.OnTick(S(30)));
        Assert.Equal(0, arrivals.Running);
    }

    [Fact]
    public void A_push_done_with_none_running_is_a_driver_bug()
    {
        var arrivals = new PoissonArrivals(S(0), Ten, S(30), Draws(0.0));
        Assert.Throws<InvalidOperationException>(() => arrivals.OnPushDone(S(0)));
    }

    [Fact]
    public void A_mean_gap_that_is_not_positive_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PoissonArrivals(S(0), TimeSpan.Zero, S(30), Draws(0.0)));

    /// <summary>
    /// 20,000 gaps of mean 10 s: their mean is within 4 standard errors (10 s / √20000 each) of 10 s, and the share
    /// longer than the mean is e⁻¹ within 4 binomial standard errors: the exponential's memoryless tail.
    /// </summary>
    [Fact]
    public void Seeded_gaps_have_the_exponential_mean_and_tail()
    {
        var random = new Random(11);
        const int n = 20_000;
        var arrivals = new PoissonArrivals(S(0), Ten, Instant.MaxValue, random.NextDouble);
        var at = arrivals.First;
        double sum = (at - S(0)).TotalSeconds;
        int longer = sum > 10 ? 1 : 0;
        for (int i = 1; i < n; i++)
        {
            var next = arrivals.OnTick(at).Next;
            arrivals.OnPushDone(S(0));
            double gap = (next - at).TotalSeconds;
            sum += gap;
            if (gap > 10) longer++;
            at = next;
        }
        Assert.InRange(sum / n, 10 - 4 * 10 / Math.Sqrt(n), 10 + 4 * 10 / Math.Sqrt(n));
        double tail = Math.Exp(-1), se = Math.Sqrt(tail * (1 - tail) / n);
        Assert.InRange(longer / (double)n, tail - 4 * se, tail + 4 * se);
    }
}
