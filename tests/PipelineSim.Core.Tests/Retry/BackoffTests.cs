using FsCheck.Xunit;
using PipelineSim.Core.Options;
using PipelineSim.Core.Retry;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Tests.Retry;

public class BackoffTests
{
    private static readonly BackoffConfig AlloyDefault = BackoffConfig.From(new WriteEndpointOptions { Url = "http://x" });
    private static readonly BackoffConfig Unbounded = AlloyDefault with { MaxRetries = 0 };
    private static readonly Instant T0 = Instant.FromSeconds(1000);

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    /// <summary>dskit's ranges for the default 500ms / 5m config: [0.5,1) s doubling up to [128,256) s, then [256,300) s.</summary>
    private static (TimeSpan Low, TimeSpan High) DefaultRange(int n) =>
        n <= 9 ? (S(0.5 * Math.Pow(2, n - 1)), S(Math.Pow(2, n - 1))) : (S(256), S(300));

    [Fact]
    public void Reads_alloy_defaults_from_the_endpoint()
    {
        Assert.Equal(new BackoffConfig(S(0.5), S(300), 10), AlloyDefault);
    }

    [Property]
    public bool The_default_sequence_follows_dskit_ranges_for_any_seed(int seed)
    {
        var backoff = new Backoff(Unbounded, Deadline.None, new Random(seed));
        for (int n = 1; n <= 20; n++)
        {
            var delay = backoff.NextDelay();
            var (low, high) = DefaultRange(n);
            if (delay < low || delay >= high || backoff.NumRetries != n) return false;
        }
        return true;
    }

    [Fact]
    public void The_range_bounds_are_reached_exactly_at_the_low_end_and_approached_at_the_high_end()
    {
        var low = new Backoff(Unbounded, Deadline.None, new FixedRandom(0));
        var high = new Backoff(Unbounded, Deadline.None, new FixedRandom(1));
        for (int n = 1; n <= 12; n++)
        {
            var (lo, hi) = DefaultRange(n);
            Assert.Equal(lo, low.NextDelay());
            Assert.Equal(hi - TimeSpan.FromTicks(1), high.NextDelay());
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_delays_and_another_seed_others()
    {
        static TimeSpan[] Draw(int seed)
        {
            var backoff = new Backoff(AlloyDefault, Deadline.None, new Random(seed));
            return Enumerable.Range(0, 10).Select(_ => backoff.NextDelay()).ToArray();
        }
        Assert.Equal(Draw(7), Draw(7));
        Assert.NotEqual(Draw(7), Draw(8));
    }

    [Fact]
    public void Equal_min_and_max_give_that_delay_without_drawing()
    {
        var random = new FixedRandom(0.5);
        var backoff = new Backoff(new BackoffConfig(S(2), S(2), 0), Deadline.None, random);
        Assert.Equal(S(2), backoff.NextDelay());
        Assert.Equal(S(2), backoff.NextDelay());
        Assert.Equal(0, random.Draws);
        Assert.Equal(2, backoff.NumRetries);
    }

    [Fact]
    public void Wait_sleeps_after_each_of_the_first_max_minus_one_retries_and_not_after_the_last()
    {
        var backoff = new Backoff(AlloyDefault, Deadline.None, new Random(1));
        var now = T0;
        for (int n = 1; n <= 9; n++)
        {
            Assert.True(backoff.Ongoing(now));
            var wake = backoff.Wait(now);
            Assert.NotNull(wake);
            var (low, high) = DefaultRange(n);
            Assert.InRange(wake!.Value - now, low, high - TimeSpan.FromTicks(1));
            now = wake.Value;
        }
        Assert.Null(backoff.Wait(now));
        Assert.Equal(10, backoff.NumRetries);
        Assert.False(backoff.Ongoing(now));
    }

    [Property]
    public bool A_full_default_run_sleeps_between_255_5_and_511_seconds(int seed)
    {
        var backoff = new Backoff(AlloyDefault, Deadline.None, new Random(seed));
        var now = T0;
        while (backoff.Wait(now) is Instant wake) now = wake;
        var slept = now - T0;
        return slept >= S(255.5) && slept < S(511) && backoff.NumRetries == 10;
    }

    [Fact]
    public void Zero_max_retries_never_stops_on_count()
    {
        var backoff = new Backoff(Unbounded, Deadline.None, new Random(3));
        for (int i = 0; i < 1000; i++) Assert.NotNull(backoff.Wait(T0));
        Assert.True(backoff.Ongoing(T0));
    }

    [Fact]
    public void A_wait_ends_early_at_the_parent_deadline()
    {
        var parent = Deadline.At(T0 + S(0.3));
        var backoff = new Backoff(AlloyDefault, parent, new FixedRandom(0));
        Assert.Equal(parent.When, backoff.Wait(T0));
        Assert.False(backoff.Ongoing(parent.When));
        Assert.True(backoff.Ongoing(parent.When - TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void No_sleep_once_the_parent_deadline_has_passed_but_the_retry_still_counts()
    {
        var backoff = new Backoff(AlloyDefault, Deadline.At(T0), new Random(1));
        Assert.Null(backoff.Wait(T0));
        Assert.Equal(1, backoff.NumRetries);
    }

    [Fact]
    public void A_huge_max_does_not_overflow_when_doubling()
    {
        var backoff = new Backoff(new BackoffConfig(TimeSpan.MaxValue / 3, TimeSpan.MaxValue, 0), Deadline.None, new FixedRandom(0));
        for (int i = 0; i < 5; i++) Assert.True(backoff.NextDelay() >= TimeSpan.MaxValue / 3);
    }
}
