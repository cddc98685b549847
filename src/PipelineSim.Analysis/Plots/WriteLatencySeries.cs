using System.Globalization;
using PipelineSim.Core.Records;

namespace PipelineSim.Analysis.Plots;

/// <summary>
/// One endpoint's <c>pyroscope_write_latency</c> histogram (<c>type="push_endpoint"</c>) as sampled: the cumulative
/// bucket counts at each sample time. <see cref="Quantile"/> answers what the Grafana latency panel shows, a
/// quantile of the pushes observed during each sample step, computed as Prometheus' <c>histogram_quantile</c> does
/// over the step's increase (promql/quantile.go: linear interpolation inside the bucket, 0 as the first bucket's lower
/// bound, the highest finite bound when the rank falls in <c>+Inf</c>).
/// </summary>
public sealed class WriteLatencySeries
{
    /// <summary>Upper bounds of the buckets in order, <c>+Inf</c> last.</summary>
    private readonly double[] bounds = [.. MetricNames.WriteLatencyBuckets, double.PositiveInfinity];
    private readonly SortedDictionary<double, double[]> cumulativeAt = [];

    public bool IsEmpty => cumulativeAt.Count == 0;

    /// <summary>The sample step: the smallest gap between two sample times (infinite with fewer than two samples).</summary>
    public double StepSeconds => cumulativeAt.Keys.Zip(cumulativeAt.Keys.Skip(1), (a, b) => b - a).DefaultIfEmpty(double.PositiveInfinity).Min();

    /// <summary>Records one bucket sample; <paramref name="le"/> as written in the label (<c>0.5</c>, <c>+Inf</c>).</summary>
    internal void Add(double seconds, string le, double cumulative)
    {
        double bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
        int index = Array.IndexOf(bounds, bound);
        if (index < 0) return; // not one of the default buckets: not this histogram
        if (!cumulativeAt.TryGetValue(seconds, out var counts)) cumulativeAt.Add(seconds, counts = new double[bounds.Length]);
        counts[index] = cumulative;
    }

    /// <summary>
    /// The <paramref name="q"/>-quantile of the latencies observed in each sample step, at the step's end; steps in
    /// which no push finished have no point (the panel shows a gap there, not a zero).
    /// </summary>
    public IReadOnlyList<TimePoint> Quantile(double q)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(q, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1);
        var points = new List<TimePoint>();
        double[]? previous = null;
        var increase = new double[bounds.Length];
        foreach (var (seconds, counts) in cumulativeAt)
        {
            if (previous is not null)
            {
                // A counter that went down was reset (a restart): count from zero, as rate() does.
                for (int i = 0; i < bounds.Length; i++) increase[i] = counts[i] >= previous[i] ? counts[i] - previous[i] : counts[i];
                if (increase[^1] > 0) points.Add(new TimePoint(seconds, Interpolate(increase, q)));
            }
            previous = counts;
        }
        return points;
    }

    private double Interpolate(double[] cumulative, double q)
    {
        double rank = q * cumulative[^1];
        int bucket = 0;
        while (bucket < bounds.Length - 1 && cumulative[bucket] < rank) bucket++;
        if (double.IsPositiveInfinity(bounds[bucket])) return bounds[^2];
        double lower = bucket == 0 ? 0 : bounds[bucket - 1];
        double below = bucket == 0 ? 0 : cumulative[bucket - 1];
        double inBucket = cumulative[bucket] - below;
        return inBucket <= 0 ? bounds[bucket] : lower + (bounds[bucket] - lower) * ((rank - below) / inBucket);
    }
}
