namespace PipelineSim.Core.Statistics;

/// <summary>
/// The one definition of a quantile that every summary in PipelineSim uses, the simulator's and the records' alike,
/// so that the same latencies give the same p99 wherever it is computed: the <b>nearest-rank</b> method (Hyndman and
/// Fan type 1). The p-quantile of n values is the value at rank ⌈p·n⌉ (1-based) of the sorted values; it is always a
/// value that occurred, and "p99 ≤ x" holds exactly when at least 99% of the values are ≤ x, which is how an SLO reads.
/// </summary>
public static class NearestRank
{
    /// <summary>The 1-based rank ⌈p·n⌉, at least 1; p·n within 1e-9 of an integer counts as that integer, so that
    /// 0.99·100 is rank 99 despite binary rounding.</summary>
    public static long Rank(double p, long count)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "A quantile needs at least one value.");
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "A quantile level is in [0, 1].");
        double position = p * count;
        double nearest = Math.Round(position);
        if (Math.Abs(position - nearest) <= 1e-9 * Math.Max(1, position)) position = nearest;
        return Math.Clamp((long)Math.Ceiling(position), 1, count);
    }

    /// <summary>The 0-based index of the p-quantile among <paramref name="count"/> sorted values.</summary>
    public static int Index(double p, int count) => (int)(Rank(p, count) - 1);
}
