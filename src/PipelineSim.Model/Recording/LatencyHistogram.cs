using System.Globalization;
using PipelineSim.Core.Records;

namespace PipelineSim.Model.Recording;

/// <summary>
/// A Prometheus histogram of durations in seconds, over <see cref="MetricNames.WriteLatencyBuckets"/>
/// (prometheus.DefBuckets) unless given other bucket bounds.
/// </summary>
internal sealed class LatencyHistogram
{
    private readonly long[] boundsInTicks;
    private readonly long[] counts;

    public LatencyHistogram()
        : this(MetricNames.WriteLatencyBuckets)
    {
    }

    public LatencyHistogram(IReadOnlyList<double> bucketsInSeconds)
    {
        boundsInTicks = [.. bucketsInSeconds.Select(seconds => (long)Math.Round(seconds * TimeSpan.TicksPerSecond))];
        counts = new long[boundsInTicks.Length + 1];
        LeLabels = [.. bucketsInSeconds.Select(b => b.ToString(CultureInfo.InvariantCulture)), "+Inf"];
    }

    /// <summary>The <c>le</c> label values, the last one <c>+Inf</c>.</summary>
    public IReadOnlyList<string> LeLabels { get; }

    public long Count { get; private set; }

    public long SumTicks { get; private set; }

    public void Observe(long ticks)
    {
        int bucket = 0;
        while (bucket < boundsInTicks.Length && ticks > boundsInTicks[bucket]) bucket++;
        counts[bucket]++;
        Count++;
        SumTicks += ticks;
    }

    /// <summary>The cumulative count of bucket <paramref name="index"/> (observations &lt;= its bound), as Prometheus exports it.</summary>
    public long Cumulative(int index)
    {
        long total = 0;
        for (int i = 0; i <= index; i++) total += counts[i];
        return total;
    }
}
