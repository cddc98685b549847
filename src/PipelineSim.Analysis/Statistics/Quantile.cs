using PipelineSim.Core.Statistics;

namespace PipelineSim.Analysis.Statistics;

/// <summary>
/// Exact sample quantiles by the <b>nearest-rank</b> method (Hyndman and Fan type 1, the inverse of the empirical
/// distribution function): the p-quantile of n sorted values is the value at rank ⌈p·n⌉ (1-based), and the
/// 0-quantile is the smallest value. It is always a value that occurred, and "p99 ≤ x" holds exactly when at least 99%
/// of the values are ≤ x — the reading an SLO such as <c>p99 &lt; 2s</c> needs. No interpolation, so results are the
/// same on every machine.
/// </summary>
public static class Quantile
{
    /// <summary>The 1-based rank ⌈p·n⌉ of Core's <see cref="NearestRank"/>, the definition every summary shares.</summary>
    public static long Rank(double p, long count) => NearestRank.Rank(p, count);

    /// <summary>The p-quantile of values already sorted ascending.</summary>
    public static T OfSorted<T>(ReadOnlySpan<T> sorted, double p) => sorted[(int)(Rank(p, sorted.Length) - 1)];

    /// <summary>The p-quantile of values in any order (copies and sorts them).</summary>
    public static double Of(IEnumerable<double> values, double p)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return OfSorted<double>(sorted, p);
    }
}
