using FsCheck.Xunit;
using PipelineSim.Analysis.Statistics;

namespace PipelineSim.Analysis.Tests.Statistics;

public class QuantileTests
{
    [Theory]
    [InlineData(0.0, 100, 1)]
    [InlineData(0.5, 100, 50)]
    [InlineData(0.9, 10, 9)] // 0.9·10 is 9.000000000000002 in binary
    [InlineData(0.99, 100, 99)]
    [InlineData(0.999, 1000, 999)]
    [InlineData(0.5, 3, 2)]
    [InlineData(0.99, 3, 3)]
    [InlineData(1.0, 7, 7)]
    [InlineData(0.01, 1, 1)]
    public void Rank_is_the_ceiling_of_p_times_n(double p, long n, long rank) => Assert.Equal(rank, Quantile.Rank(p, n));

    [Fact]
    public void Quantile_of_one_to_a_hundred_is_a_value_that_occurred()
    {
        double[] values = [.. Enumerable.Range(1, 100).Select(i => (double)i).Reverse()];
        Assert.Equal(50, Quantile.Of(values, 0.5));
        Assert.Equal(99, Quantile.Of(values, 0.99));
        Assert.Equal(1, Quantile.Of(values, 0));
        Assert.Equal(100, Quantile.Of(values, 1));
    }

    [Property(MaxTest = 300)]
    public bool At_least_p_of_the_values_are_at_or_below_the_quantile_and_fewer_are_strictly_below(int[] raw, byte level)
    {
        if (raw.Length == 0) return true;
        double p = level / 255.0;
        double q = Quantile.Of(raw.Select(v => (double)v), p);
        int atOrBelow = raw.Count(v => v <= q), below = raw.Count(v => v < q);
        return atOrBelow >= p * raw.Length - 1e-9 && (p == 0 || below < p * raw.Length + 1e-9);
    }

    [Fact]
    public void Rejects_empty_samples_and_levels_outside_zero_to_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantile.Rank(0.5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantile.Rank(1.5, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantile.Rank(double.NaN, 10));
    }
}
