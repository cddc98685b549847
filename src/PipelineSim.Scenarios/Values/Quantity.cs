using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using PipelineSim.Core.Time;
using PipelineSim.Core.Units;

namespace PipelineSim.Scenarios.Values;

/// <summary>
/// A literal number with what it measures: <c>0.999</c> and <c>1e3</c> (numbers), <c>99.9%</c> (the number 0.999),
/// <c>2s</c> and <c>1m30s</c> (seconds, Go duration syntax), <c>60KiB</c> and <c>10MB</c> (bytes).
/// </summary>
public readonly record struct Quantity(double Value, Dimension Dimension)
{
    private const NumberStyles NumberStyle = NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    public static bool TryParse(string text, out Quantity quantity, [NotNullWhen(false)] out string? error)
    {
        quantity = default;
        error = null;
        if (text.EndsWith('%'))
        {
            if (double.TryParse(text[..^1], NumberStyle, CultureInfo.InvariantCulture, out double percent))
            {
                quantity = new Quantity(percent / 100, Dimension.Number);
                return true;
            }
            error = $"\"{text}\" is not a percentage (like 99.9%)";
            return false;
        }
        if (double.TryParse(text, NumberStyle, CultureInfo.InvariantCulture, out double number))
        {
            quantity = new Quantity(number, Dimension.Number);
            return true;
        }
        if (GoDuration.TryParse(text, out var duration, out _))
        {
            quantity = new Quantity(duration.TotalSeconds, Dimension.Time);
            return true;
        }
        if (ByteSize.TryParse(text, out long bytes, out _))
        {
            quantity = new Quantity(bytes, Dimension.Size);
            return true;
        }
        error = $"\"{text}\" is not a number, a duration (like 500ms) or a size (like 60KiB)";
        return false;
    }

    /// <summary>The value in the unit a user would write it in: a Go duration, a size, or a plain number.</summary>
    public override string ToString() => Format(Value, Dimension);

    public static string Format(double value, Dimension dimension)
    {
        switch (dimension)
        {
            case Dimension.Time when double.IsFinite(value) && Math.Abs(value) < TimeSpan.MaxValue.TotalSeconds:
                return GoDuration.Format(TimeSpan.FromTicks((long)Math.Round(value * TimeSpan.TicksPerSecond)));
            case Dimension.Size when value == Math.Floor(value) && value >= 0 && value < long.MaxValue:
                return ByteSize.Format((long)value);
            default:
                // Six decimals read well for counts and ratios; a tiny value keeps its digits instead of showing 0.
                return value != 0 && Math.Abs(value) < 1e-6
                    ? value.ToString("G6", CultureInfo.InvariantCulture)
                    : value.ToString("0.######", CultureInfo.InvariantCulture);
        }
    }
}
