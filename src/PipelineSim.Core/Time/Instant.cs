namespace PipelineSim.Core.Time;

/// <summary>
/// A point in time, counted in 100 ns ticks (the unit of <see cref="TimeSpan.Ticks"/>) from the start of a run.
/// The simulator's virtual clock and the live driver's monotonic clock both speak it, so Core never reads a clock:
/// every decision takes <c>now</c> as an argument.
/// </summary>
public readonly record struct Instant(long Ticks) : IComparable<Instant>, ISpanFormattable, IUtf8SpanFormattable
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

    /// <summary>Seconds since the start with microsecond precision, invariant culture: the form every CSV uses (<see cref="SecondsText"/>).</summary>
    public override string ToString() => SecondsText.Format(Ticks);

    /// <summary>The <see cref="ToString()"/> text; the format and provider are ignored, there is only one form.</summary>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        SecondsText.TryFormat(Ticks, destination, out charsWritten);

    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        SecondsText.TryFormat(Ticks, utf8Destination, out bytesWritten);

    /// <summary>Reads the <see cref="ToString()"/> form back (up to 7 decimals, the tick resolution).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Instant instant)
    {
        bool ok = SecondsText.TryParse(text, out long ticks);
        instant = new Instant(ticks);
        return ok;
    }

    /// <inheritdoc cref="TryParse(ReadOnlySpan{char}, out Instant)"/>
    public static bool TryParse(ReadOnlySpan<byte> utf8Text, out Instant instant)
    {
        bool ok = SecondsText.TryParse(utf8Text, out long ticks);
        instant = new Instant(ticks);
        return ok;
    }

    public static Instant Parse(string text) =>
        TryParse(text, out var instant) ? instant : throw new FormatException($"'{text}' is not a time in seconds such as 12.345678.");
}
