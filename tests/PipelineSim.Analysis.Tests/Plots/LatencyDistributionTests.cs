using PipelineSim.Analysis.Plots;

namespace PipelineSim.Analysis.Tests.Plots;

public class LatencyDistributionTests
{
    private static long Ticks(double seconds) => (long)Math.Round(seconds * TimeSpan.TicksPerSecond);

    [Fact]
    public void Bins_are_log_spaced_on_round_edges_and_count_every_latency_once()
    {
        long[] delivered = [Ticks(0.011), Ticks(0.05), Ticks(0.05), Ticks(0.9)];
        long[] failed = [Ticks(10), Ticks(10)];
        var histogram = LatencyDistribution.Bin([delivered, failed]);

        Assert.Equal(0.01, histogram.EdgesSeconds[0], 12);
        Assert.True(histogram.EdgesSeconds[^1] > 10);
        for (int i = 1; i < histogram.EdgesSeconds.Length; i++)
            Assert.Equal(Math.Pow(10, 0.1), histogram.EdgesSeconds[i] / histogram.EdgesSeconds[i - 1], 9);
        Assert.Equal(4, histogram.Counts[0].Sum());
        Assert.Equal(2, histogram.Counts[1].Sum());

        // 10 s sits on an edge: it counts in the bin that starts there.
        int tenSeconds = Array.FindIndex(histogram.EdgesSeconds, e => Math.Abs(e - 10) < 1e-9);
        Assert.Equal(2, histogram.Counts[1][tenSeconds]);
        // 0.05 s lies in [10^-1.4, 10^-1.2).
        int bin = Array.FindIndex(histogram.EdgesSeconds, e => e > 0.05) - 1;
        Assert.Equal(2, histogram.Counts[0][bin]);
    }

    [Fact]
    public void Cdf_steps_up_to_one_through_the_empirical_fractions()
    {
        long[] sorted = [Ticks(0.1), Ticks(0.2), Ticks(0.2), Ticks(0.4), Ticks(10)];
        var cdf = LatencyDistribution.Cdf(sorted);
        Assert.Equal([(0.1, 0.2), (0.2, 0.6), (0.4, 0.8), (10.0, 1.0)], cdf.Select(p => (Math.Round(p.Seconds, 9), p.Fraction)));
    }

    [Fact]
    public void Cdf_of_many_values_is_thinned_but_keeps_its_ends_and_stays_monotone()
    {
        var random = new Random(5);
        long[] sorted = [.. Enumerable.Range(0, 200_000).Select(_ => random.NextInt64(1, TimeSpan.TicksPerMinute)).Order()];
        var cdf = LatencyDistribution.Cdf(sorted, resolution: 500);
        Assert.InRange(cdf.Count, 100, 1500);
        Assert.Equal(LatencyDistribution.Seconds(sorted[0]), cdf[0].Seconds);
        Assert.Equal((LatencyDistribution.Seconds(sorted[^1]), 1.0), cdf[^1]);
        for (int i = 1; i < cdf.Count; i++)
        {
            Assert.True(cdf[i].Seconds > cdf[i - 1].Seconds);
            Assert.True(cdf[i].Fraction > cdf[i - 1].Fraction);
        }
        // Every kept point is the true empirical CDF at its latency.
        foreach (var (seconds, fraction) in cdf.Take(50))
        {
            long atOrBelow = sorted.Count(t => LatencyDistribution.Seconds(t) <= seconds);
            Assert.Equal(atOrBelow / (double)sorted.Length, fraction, 12);
        }
    }

    [Fact]
    public void Zero_latencies_are_drawn_at_the_floor_of_the_log_axis()
    {
        var histogram = LatencyDistribution.Bin([[0, 0, Ticks(0.001)]]);
        Assert.Equal(LatencyDistribution.FloorSeconds, histogram.EdgesSeconds[0], 15);
        Assert.Equal(2, histogram.Counts[0][0]);
    }
}
