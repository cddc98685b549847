namespace PipelineSim.Core.Time;

/// <summary>
/// A point in time, counted in 100 ns ticks (the unit of <see cref="TimeSpan.Ticks"/>) from the start of a run.
/// The simulator's virtual clock and the live driver's monotonic clock both speak it, so Core never reads a clock:
/// every decision takes <c>now</c> as an argument.
/// </summary>
public readonly record struct Instant(long Ticks) : IComparable<Instant>
{
    public static Instant Zero => default;

    /// <summary>Later than any instant a run can reach; used as "never".</summary>
    public static Instant MaxValue => new(long.MaxValue);

    public static Instant FromTimeSpan(TimeSpan sinceStart) => new(sinceStart.Ticks);

    public static Instant FromSeconds(double seconds) => new(checked((long)Math.Round(seconds * TimeSpan.TicksPerSecond)));

    public TimeSpan SinceStart => new(Ticks);

    public double TotalSeconds => Ticks / (double)TimeSpan.TicksPerSecond;

    public int CompareTo(Instant other) => Ticks.CompareTo(other.Ticks);

    /// <summary>Adds a duration, saturating at <see cref="MaxValue"/> so "now + a huge timeout" never wraps.</summary>
    public static Instant operator +(Instant at, TimeSpan by)
    {
        long sum = at.Ticks + by.Ticks;
        // Overflow only happens when both operands are positive and the sum wrapped negative.
        if (by.Ticks > 0 && sum < at.Ticks) return MaxValue;
        return new Instant(sum);
    }

    public static Instant operator -(Instant at, TimeSpan by) => new(at.Ticks - by.Ticks);

    public static TimeSpan operator -(Instant later, Instant earlier) => new(later.Ticks - earlier.Ticks);

    public static bool operator <(Instant a, Instant b) => a.Ticks < b.Ticks;

    public static bool operator >(Instant a, Instant b) => a.Ticks > b.Ticks;

    public static bool operator <=(Instant a, Instant b) => a.Ticks <= b.Ticks;

    public static bool operator >=(Instant a, Instant b) => a.Ticks >= b.Ticks;

    public static Instant Min(Instant a, Instant b) => a.Ticks <= b.Ticks ? a : b;

    public static Instant Max(Instant a, Instant b) => a.Ticks >= b.Ticks ? a : b;

    /// <summary>Seconds since the start with microsecond precision, invariant culture: the form every CSV uses.</summary>
    public override string ToString() =>
        (Ticks / (decimal)TimeSpan.TicksPerSecond).ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture);
}
