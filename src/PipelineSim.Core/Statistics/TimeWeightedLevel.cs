using PipelineSim.Core.Time;

namespace PipelineSim.Core.Statistics;

/// <summary>
/// A level that changes over time (connections accepted, requests queued), fed <c>now</c> at each change: its
/// time-weighted mean, its maximum and, for a threshold (a connection limit), how long it sat at or above it. The
/// simulator feeds it virtual time and the live driver its monotonic clock, so both report occupancy the same way.
/// Updates cost O(1) and keep no history; a change stamped earlier than the last one counts as no time passing.
/// </summary>
public sealed class TimeWeightedLevel
{
    private readonly Instant start;
    private Instant lastChange;
    private double area; // integral of the level over ticks, up to lastChange
    private long ticksAtOrAbove;

    public TimeWeightedLevel(Instant start, double initial = 0, double? threshold = null)
    {
        this.start = lastChange = start;
        Current = Max = initial;
        Threshold = threshold;
    }

    public double Current { get; private set; }

    public double Max { get; private set; }

    public double? Threshold { get; }

    /// <summary>Time-weighted mean from the start to <paramref name="now"/>; the current value when no time has passed.</summary>
    public double Mean(Instant now)
    {
        long span = now.Ticks - start.Ticks;
        return span <= 0 ? Current : (area + Current * Math.Max(0, now.Ticks - lastChange.Ticks)) / span;
    }

    /// <summary>Time spent at or above <see cref="Threshold"/> up to <paramref name="now"/>.</summary>
    public TimeSpan TimeAtOrAbove(Instant now)
    {
        if (Threshold is not double level) throw new InvalidOperationException("The level has no threshold.");
        return new TimeSpan(ticksAtOrAbove + (Current >= level ? Math.Max(0, now.Ticks - lastChange.Ticks) : 0));
    }

    public void Set(Instant now, double value)
    {
        if (now > lastChange)
        {
            long span = now.Ticks - lastChange.Ticks;
            area += Current * span;
            if (Threshold is double level && Current >= level) ticksAtOrAbove += span;
            lastChange = now;
        }
        Current = value;
        if (value > Max) Max = value;
    }

    public void Add(Instant now, double delta) => Set(now, Current + delta);
}
