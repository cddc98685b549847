using PipelineSim.Core.Statistics;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Tests.Statistics;

public class TimeWeightedLevelTests
{
    private static Instant T(long ticks) => new(ticks);

    [Fact]
    public void Mean_max_and_time_above_are_weighted_by_time()
    {
        var level = new TimeWeightedLevel(T(100), initial: 0, threshold: 2);
        level.Set(T(110), 4); // 0 for 10 ticks
        level.Add(T(115), -2); // 4 for 5 ticks
        level.Set(T(120), 1); // 2 for 5 ticks
        var end = T(140); // 1 for 20 ticks
        Assert.Equal((0 * 10 + 4 * 5 + 2 * 5 + 1 * 20) / 40.0, level.Mean(end), precision: 12);
        Assert.Equal(4, level.Max);
        Assert.Equal(new TimeSpan(10), level.TimeAtOrAbove(end));
        Assert.Equal(1, level.Current);
    }

    /// <summary>Exactly at the threshold counts as at it; one below does not; the open interval up to now counts.</summary>
    [Theory]
    [InlineData(2.0, 30)]
    [InlineData(1.999, 0)]
    [InlineData(3.0, 30)]
    public void Time_at_or_above_the_threshold(double value, long expectedTicks)
    {
        var level = new TimeWeightedLevel(T(0), threshold: 2);
        level.Set(T(10), value);
        Assert.Equal(new TimeSpan(expectedTicks), level.TimeAtOrAbove(T(40)));
    }

    [Fact]
    public void With_no_time_passed_the_mean_is_the_current_value()
    {
        var level = new TimeWeightedLevel(T(5), initial: 3);
        Assert.Equal(3, level.Mean(T(5)));
    }

    [Fact]
    public void A_change_stamped_before_the_last_counts_as_no_time_passing()
    {
        var level = new TimeWeightedLevel(T(0), threshold: 1);
        level.Set(T(10), 1);
        level.Set(T(9), 0); // a racing clock read: the level changes, no time is added
        Assert.Equal(new TimeSpan(0), level.TimeAtOrAbove(T(20)));
        Assert.Equal(0, level.Mean(T(20)));
    }

    [Fact]
    public void Time_above_needs_a_threshold() =>
        Assert.Throws<InvalidOperationException>(() => new TimeWeightedLevel(T(0)).TimeAtOrAbove(T(1)));
}
