using MathNet.Numerics.Distributions;

namespace PipelineSim.Analysis.Statistics;

/// <summary>
/// How far a sample pins a quantile down, whatever the distribution: the order statistics X(l) ≤ X(u) that hold the
/// true p-quantile with probability at least the level, because the number of values below it is Binomial(n, p)
/// (the classical distribution-free interval; see e.g. Conover, Practical Nonparametric Statistics, §3.2).
/// A bound the sample cannot give (too few values beyond the quantile: the maximum, or p99 of a hundred values) is
/// open: zero below, <see cref="TimeSpan.MaxValue"/> above.
/// </summary>
public static class QuantileInterval
{
    public static (TimeSpan Lower, TimeSpan Upper) Of(DurationSamples samples, double p, double level)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (!(p > 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "p must be in (0, 1].");
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "The level must be in (0, 1).");
        int n = samples.Count;
        if (n == 0) throw new ArgumentException("A quantile needs at least one value.", nameof(samples));
        var sorted = samples.SortedTicks;
        double tail = (1 - level) / 2;
        // P(X(j) ≤ q) = P(B ≥ j) with B ~ Binomial(n, p): the lower rank is the largest j with P(B ≤ j − 1) ≤ tail,
        // the upper rank the smallest j with P(B ≤ j − 1) ≥ 1 − tail.
        int lower = LargestRankWithCdfAtMost(n, p, tail);
        int upper = SmallestRankWithCdfAtLeast(n, p, 1 - tail);
        return (lower >= 1 ? new TimeSpan(sorted[lower - 1]) : TimeSpan.Zero,
                upper <= n ? new TimeSpan(sorted[upper - 1]) : TimeSpan.MaxValue);
    }

    /// <summary>P(B ≤ j − 1) for B ~ Binomial(n, p); 0 for j = 0.</summary>
    private static double Below(int n, double p, int j) => j <= 0 ? 0 : j > n ? 1 : p >= 1 ? (j - 1 >= n ? 1 : 0) : Binomial.CDF(p, n, j - 1);

    private static int LargestRankWithCdfAtMost(int n, double p, double bound)
    {
        int low = 0, high = n + 1; // Below(0) = 0 ≤ bound; search the last j in [0, n + 1] with Below(j) ≤ bound
        while (low < high)
        {
            int mid = low + (high - low + 1) / 2;
            if (Below(n, p, mid) <= bound) low = mid;
            else high = mid - 1;
        }
        return low;
    }

    private static int SmallestRankWithCdfAtLeast(int n, double p, double bound)
    {
        int low = 1, high = n + 1; // Below(n + 1) = 1 ≥ bound
        while (low < high)
        {
            int mid = low + (high - low) / 2;
            if (Below(n, p, mid) >= bound) high = mid;
            else low = mid + 1;
        }
        return low;
    }
}
