using PipelineSim.Analysis.Statistics;

namespace PipelineSim.Analysis.Tests.Statistics;

public class DurationSamplesTests
{
    [Fact]
    public void Keeps_every_duration_exactly_and_sorts_on_demand()
    {
        var samples = new DurationSamples();
        var random = new Random(11);
        var added = new List<long>();
        for (int i = 0; i < 1000; i++)
        {
            long ticks = random.NextInt64(0, TimeSpan.TicksPerMinute);
            added.Add(ticks);
            samples.Add(new TimeSpan(ticks));
        }
        added.Sort();
        Assert.Equal(added, samples.SortedTicks.ToArray());
        Assert.Equal(new TimeSpan(added[0]), samples.Min);
        Assert.Equal(new TimeSpan(added[^1]), samples.Max);
        Assert.Equal(new TimeSpan(added[989]), samples.Quantile(0.99)); // rank 990
        Assert.Equal(new TimeSpan((long)Math.Round(added.Average(), MidpointRounding.AwayFromZero)), samples.Mean);

        samples.Add(TimeSpan.Zero); // adding after a read re-sorts
        Assert.Equal(TimeSpan.Zero, samples.Min);
    }

    [Fact]
    public void The_mean_of_nothing_is_an_error() =>
        Assert.Throws<InvalidOperationException>(() => new DurationSamples().Mean);
}
