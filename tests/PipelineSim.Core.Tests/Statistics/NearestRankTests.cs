using FsCheck;
using FsCheck.Xunit;
using PipelineSim.Core.Statistics;

namespace PipelineSim.Core.Tests.Statistics;

public class NearestRankTests
{
    [Theory]
    [InlineData(0.0, 10, 1)]
    [InlineData(0.5, 10, 5)]
    [InlineData(0.99, 100, 99)] // 0.99 * 100 is 99.00000000000001 in binary: still rank 99
    [InlineData(0.99, 101, 100)]
    [InlineData(1.0, 7, 7)]
    [InlineData(0.9, 1, 1)]
    public void Rank_is_the_ceiling_of_p_times_n(double p, long n, long rank) => Assert.Equal(rank, NearestRank.Rank(p, n));

    [Property]
    public bool At_least_p_of_the_values_are_at_or_below_the_quantile(PositiveInt n, byte percent)
    {
        double p = Math.Min(percent, (byte)100) / 100.0;
        long rank = NearestRank.Rank(p, n.Get);
        // Rank r is the smallest with r/n >= p (up to the 1e-9 guard against binary rounding).
        return rank >= 1 && rank <= n.Get && rank >= p * n.Get - 1e-6 && (rank == 1 || rank - 1 < p * n.Get - 1e-9 * n.Get);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NearestRank.Rank(0.5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => NearestRank.Rank(-0.1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => NearestRank.Rank(double.NaN, 10));
    }
}
