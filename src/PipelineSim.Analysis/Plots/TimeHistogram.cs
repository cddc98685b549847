using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Plots;

/// <summary>
/// Counts of events per time bin from the start of the run, with a bin width that grows as the run does: it starts
/// at 100 ms and, whenever an event falls beyond <see cref="MaxBins"/> bins, steps up a ladder of round widths
/// (each a multiple of the one before, so bins merge exactly) until it fits. Memory stays at most
/// <see cref="MaxBins"/> counters whatever the run's length, and no pass is needed to learn the end first.
/// </summary>
public sealed class TimeHistogram
{
    public const int MaxBins = 150;

    /// <summary>100 ms, 200 ms, 1 s, 2 s, 10 s, 20 s, 1 min, 2 min, 10 min, 20 min, 1 h, 2 h, 6 h, 12 h, 1 d, ...</summary>
    private static readonly long[] LadderTicks =
    [
        .. new[] { 0.1, 0.2, 1, 2, 10, 20, 60, 120, 600, 1200, 3600, 7200, 21600, 43200, 86400 }
            .Select(s => (long)Math.Round(s * TimeSpan.TicksPerSecond)),
    ];

    private readonly long[] counts = new long[MaxBins];
    private int rung;
    private long total;

    public TimeSpan BinWidth => new(WidthTicks);

    public long Total => total;

    private long WidthTicks => rung < LadderTicks.Length ? LadderTicks[rung] : LadderTicks[^1] << (rung - LadderTicks.Length + 1);

    /// <summary>Counts up to the last non-empty bin (leading empty bins included, so index i starts at i·width).</summary>
    public ReadOnlySpan<long> Counts => counts.AsSpan(0, Array.FindLastIndex(counts, c => c != 0) + 1);

    /// <summary>Adds <paramref name="count"/> events at <paramref name="at"/>; times before the start count in bin 0.</summary>
    public void Add(Instant at, long count = 1)
    {
        long ticks = Math.Max(0, at.Ticks);
        while (ticks / WidthTicks >= MaxBins) StepUp();
        counts[ticks / WidthTicks] += count;
        total += count;
    }

    /// <summary>Widens the bins to at least <paramref name="width"/>, so several histograms can share one time axis.</summary>
    public void WidenTo(TimeSpan width)
    {
        while (WidthTicks < width.Ticks) StepUp();
    }

    /// <summary>The narrowest width of the ladder at which <paramref name="span"/> fits in <see cref="MaxBins"/> bins.</summary>
    public static TimeSpan WidthToCover(TimeSpan span)
    {
        var probe = new TimeHistogram();
        while (Math.Max(0, span.Ticks - 1) / probe.WidthTicks >= MaxBins) probe.StepUp();
        return probe.BinWidth;
    }

    /// <summary>The width a set of histograms shares: the widest of them.</summary>
    public static TimeSpan CommonWidth(IEnumerable<TimeHistogram> histograms) =>
        histograms.Select(h => h.BinWidth).DefaultIfEmpty(new TimeSpan(LadderTicks[0])).Max();

    private void StepUp()
    {
        long from = WidthTicks;
        rung++;
        int factor = (int)(WidthTicks / from);
        for (int i = 0; i < MaxBins; i++)
        {
            long sum = 0;
            for (int j = i * factor; j < Math.Min((i + 1) * factor, MaxBins); j++) sum += counts[j];
            counts[i] = sum; // reads only indices ≥ i·factor ≥ i, none yet overwritten
        }
    }
}
