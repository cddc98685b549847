namespace PipelineSim.Analysis.Plots;

/// <summary>
/// The numbers behind the latency plots, on a log time axis: counts in log-spaced bins, and the empirical CDF.
/// Latencies below <see cref="FloorSeconds"/> (a zero-length push, say) are drawn at the floor, since a log axis
/// has no zero.
/// </summary>
public static class LatencyDistribution
{
    public const double FloorSeconds = 1e-6;

    /// <summary>Bins of equal width in log10 seconds, <paramref name="binsPerDecade"/> to a decade, edges on round
    /// values (1, 1.26, 1.58, ... × 10^k), from below the smallest latency to above the largest.</summary>
    public sealed record Histogram(double[] EdgesSeconds, long[][] Counts)
    {
        public int BinCount => EdgesSeconds.Length - 1;
    }

    /// <summary>Counts each sorted series (ticks) into the same log bins.</summary>
    public static Histogram Bin(IReadOnlyList<long[]> sortedSeries, int binsPerDecade = 10)
    {
        var present = sortedSeries.Where(s => s.Length > 0).ToList();
        if (present.Count == 0) return new Histogram([], [.. sortedSeries.Select(_ => Array.Empty<long>())]);

        double min = present.Min(s => Seconds(s[0]));
        double max = present.Max(s => Seconds(s[^1]));
        int first = (int)Math.Floor(Math.Log10(min) * binsPerDecade + 1e-9);
        int last = Math.Max(first + 1, (int)Math.Floor(Math.Log10(max) * binsPerDecade + 1e-9) + 1);
        var edges = new double[last - first + 1];
        for (int i = 0; i < edges.Length; i++) edges[i] = Math.Pow(10, (first + i) / (double)binsPerDecade);

        var counts = new long[sortedSeries.Count][];
        for (int s = 0; s < sortedSeries.Count; s++)
        {
            counts[s] = new long[edges.Length - 1];
            foreach (long ticks in sortedSeries[s])
            {
                int bin = (int)Math.Floor(Math.Log10(Seconds(ticks)) * binsPerDecade + 1e-9) - first;
                counts[s][Math.Clamp(bin, 0, edges.Length - 2)]++;
            }
        }
        return new Histogram(edges, counts);
    }

    /// <summary>
    /// The empirical CDF of sorted latencies (ticks): (latency, fraction of pushes at or below it), one point per step,
    /// thinned so that consecutive points differ by at least 1/<paramref name="resolution"/> of the log range or of
    /// the fraction. The first and last steps are always kept, so the curve ends at 1.
    /// </summary>
    public static IReadOnlyList<(double Seconds, double Fraction)> Cdf(ReadOnlySpan<long> sorted, int resolution = 2000)
    {
        var points = new List<(double, double)>();
        if (sorted.IsEmpty) return points;

        int total = sorted.Length;
        double logMin = Math.Log10(Seconds(sorted[0]));
        double logRange = Math.Max(1e-12, Math.Log10(Seconds(sorted[^1])) - logMin);
        double lastLog = double.NegativeInfinity, lastFraction = double.NegativeInfinity;
        for (int i = 0; i < total; i++)
        {
            bool stepEnds = i == total - 1 || sorted[i + 1] != sorted[i];
            if (!stepEnds) continue;
            double seconds = Seconds(sorted[i]);
            double fraction = (i + 1) / (double)total;
            double log = Math.Log10(seconds);
            bool keep = points.Count == 0 || i == total - 1
                || (log - lastLog) * resolution >= logRange || (fraction - lastFraction) * resolution >= 1;
            if (!keep) continue;
            points.Add((seconds, fraction));
            (lastLog, lastFraction) = (log, fraction);
        }
        return points;
    }

    /// <summary>Several sorted series as one sorted array.</summary>
    public static long[] MergeSorted(IReadOnlyList<long[]> sortedSeries)
    {
        if (sortedSeries.Count == 1) return sortedSeries[0];
        long[] merged = [.. sortedSeries.SelectMany(s => s)];
        Array.Sort(merged);
        return merged;
    }

    public static double Seconds(long ticks) => Math.Max(FloorSeconds, ticks / (double)TimeSpan.TicksPerSecond);
}
