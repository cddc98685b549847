using System.Globalization;
using PipelineSim.Core.Records;

namespace PipelineSim.Model.Recording;

/// <summary>A Prometheus histogram over <see cref="MetricNames.WriteLatencyBuckets"/> (prometheus.DefBuckets), in seconds.</summary>
internal sealed class LatencyHistogram
{
    private static readonly long[] BoundsInTicks =
        [.. MetricNames.WriteLatencyBuckets.Select(seconds => (long)Math.Round(seconds * TimeSpan.TicksPerSecond))];

    /// <summary>The <c>le</c> label values, the last one <c>+Inf</c>.</summary>
    public static IReadOnlyList<string> LeLabels { get; } =
        [.. MetricNames.WriteLatencyBuckets.Select(b => b.ToString(CultureInfo.InvariantCulture)), "+Inf"];

    private readonly long[] counts = new long[BoundsInTicks.Length + 1];

    public long Count { get; private set; }

    public long SumTicks { get; private set; }

    public void Observe(long ticks)
    {
        int bucket = 0;
        while (bucket < BoundsInTicks.Length && ticks > BoundsInTicks[bucket]) bucket++;
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
