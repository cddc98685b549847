using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace PipelineSim.Core.Time;

/// <summary>
/// Durations in Go syntax (<c>time.ParseDuration</c> and <c>Duration.String</c>), the form Alloy configs and
/// scenario files use: <c>500ms</c>, <c>10s</c>, <c>1m30s</c>, <c>1h2m3.5s</c>, <c>0s</c>.
/// </summary>
/// <remarks>
/// Parsing follows Go to the nanosecond (same grammar, units, float arithmetic for fractions and the same
/// ±2^63 ns range), then converts to <see cref="TimeSpan"/>, whose tick is 100 ns: any sub-100 ns remainder is
/// truncated toward zero, so <c>150ns</c> parses as 100 ns. Like Go, a bare <c>0</c> (optionally signed) is the
/// only number accepted without a unit.
/// </remarks>
public static class GoDuration
{
    private const string Expected =
        "expected a number followed by ns, us, µs, ms, s, m or h, like 500ms or 1m30s";

    private const ulong NanosPerTick = 100;
    private const ulong MaxMagnitude = 1UL << 63; // Go's range, in nanoseconds: a negative value may reach it

    public static TimeSpan Parse(string text)
    {
        if (TryParse(text, out var value, out var error)) return value;
        throw new FormatException(error);
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out TimeSpan value, out string error) =>
        TryParse(text, wholeTicks: false, out value, out error);

    /// <summary>
    /// As <see cref="TryParse(string?, out TimeSpan, out string)"/>, but a duration with a part finer than the 100 ns
    /// tick is an error rather than truncated, so what a scenario file says is what the simulation runs: <c>1ns</c>
    /// would otherwise become zero.
    /// </summary>
    public static bool TryParseWholeTicks([NotNullWhen(true)] string? text, out TimeSpan value, out string error) =>
        TryParse(text, wholeTicks: true, out value, out error);

    private static bool TryParse(string? text, bool wholeTicks, out TimeSpan value, out string error)
    {
        value = TimeSpan.Zero;
        string? problem = ParseNanoseconds(text ?? "", out ulong magnitude, out bool negative);
        if (problem is not null)
        {
            error = $"invalid duration {Quote(text ?? "")}: {problem} ({Expected})";
            return false;
        }
        if (wholeTicks && magnitude % NanosPerTick != 0)
        {
            error = $"invalid duration {Quote(text ?? "")}: finer than 100ns, the tick the simulation counts time in " +
                "(use a whole multiple of 100ns)";
            return false;
        }
        long ticks = (long)(magnitude / NanosPerTick);
        value = new TimeSpan(negative ? -ticks : ticks);
        error = "";
        return true;
    }

    /// <summary>Go's <c>Duration.String</c>: units up to hours, the seconds part with up to 9 decimals, and
    /// <c>ms</c>, <c>µs</c> or <c>ns</c> below one second.</summary>
    public static string Format(TimeSpan value)
    {
        // Nanoseconds in 128 bits so every TimeSpan formats, even those beyond Go's ±292 years.
        Int128 nanos = (Int128)value.Ticks * (Int128)NanosPerTick;
        bool negative = nanos < 0;
        UInt128 u = (UInt128)(negative ? -nanos : nanos);
        var text = new StringBuilder(32);
        if (negative) text.Append('-');

        if (u == 0) return "0s";
        if (u < 1_000_000_000)
        {
            (int decimals, string unit) =
                u < 1_000 ? (0, "ns") : u < 1_000_000 ? (3, "µs") : (6, "ms");
            AppendFixed(text, u, decimals);
            return text.Append(unit).ToString();
        }

        UInt128 totalSeconds = u / 1_000_000_000;
        UInt128 hours = totalSeconds / 3600;
        UInt128 minutes = totalSeconds / 60 % 60;
        if (hours > 0) text.Append(hours).Append('h');
        if (hours > 0 || minutes > 0) text.Append(minutes).Append('m');
        AppendFixed(text, u % 60_000_000_000, 9);
        return text.Append('s').ToString();
    }

    /// <summary>Appends value / 10^decimals with trailing fractional zeros (and a bare point) dropped.</summary>
    private static void AppendFixed(StringBuilder text, UInt128 value, int decimals)
    {
        UInt128 scale = UInt128.One;
        for (int i = 0; i < decimals; i++) scale *= 10;
        text.Append(value / scale);
        UInt128 fraction = value % scale;
        if (fraction == 0) return;
        string digits = fraction.ToString().PadLeft(decimals, '0').TrimEnd('0');
        text.Append('.').Append(digits);
    }

    /// <summary>Go's ParseDuration on nanoseconds; returns null on success or what was wrong.</summary>
    private static string? ParseNanoseconds(string text, out ulong total, out bool negative)
    {
        total = 0;
        negative = false;
        ReadOnlySpan<char> s = text;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s is "0") return null;
        if (s.IsEmpty) return text.Length == 0 ? "empty" : "sign without a number";

        while (!s.IsEmpty)
        {
            if (!(s[0] == '.' || char.IsAsciiDigit(s[0]))) return $"unexpected {Quote(s[0].ToString())}";

            int before = s.Length;
            if (!TryLeadingInt(ref s, out ulong whole)) return "out of range";
            bool hasWhole = s.Length != before;

            ulong fraction = 0;
            double scale = 1;
            bool hasFraction = false;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                int afterPoint = s.Length;
                LeadingFraction(ref s, out fraction, out scale);
                hasFraction = s.Length != afterPoint;
            }
            if (!hasWhole && !hasFraction) return "a point without digits";

            int unitLength = 0;
            while (unitLength < s.Length && s[unitLength] != '.' && !char.IsAsciiDigit(s[unitLength])) unitLength++;
            if (unitLength == 0) return "missing unit";
            string unitName = s[..unitLength].ToString();
            s = s[unitLength..];
            if (UnitNanoseconds(unitName) is not ulong unit) return $"unknown unit {Quote(unitName)}";

            if (whole > MaxMagnitude / unit) return "out of range";
            ulong part = whole * unit;
            if (fraction > 0)
            {
                // Go computes the fraction in float64 too, so values like 1.1h match it to the nanosecond.
                part += (ulong)(fraction * (unit / scale));
                if (part > MaxMagnitude) return "out of range";
            }
            total += part;
            if (total > MaxMagnitude) return "out of range";
        }
        if (!negative && total > MaxMagnitude - 1) return "out of range";
        return null;
    }

    private static bool TryLeadingInt(ref ReadOnlySpan<char> s, out ulong value)
    {
        value = 0;
        int i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (value > MaxMagnitude / 10) return false;
            value = value * 10 + (ulong)(s[i] - '0');
            if (value > MaxMagnitude) return false;
        }
        s = s[i..];
        return true;
    }

    /// <summary>Digits after the point; like Go, digits beyond 63-bit precision are consumed but ignored.</summary>
    private static void LeadingFraction(ref ReadOnlySpan<char> s, out ulong value, out double scale)
    {
        value = 0;
        scale = 1;
        bool overflow = false;
        int i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (overflow) continue;
            if (value > (MaxMagnitude - 1) / 10)
            {
                overflow = true;
                continue;
            }
            ulong next = value * 10 + (ulong)(s[i] - '0');
            if (next > MaxMagnitude)
            {
                overflow = true;
                continue;
            }
            value = next;
            scale *= 10;
        }
        s = s[i..];
    }

    private static ulong? UnitNanoseconds(string unit) => unit switch
    {
        "ns" => 1,
        "us" or "µs" or "μs" => 1_000, // U+00B5 micro sign and U+03BC Greek mu, as Go accepts both
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => null,
    };

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
