using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace PipelineSim.Core.Units;

/// <summary>
/// Byte sizes as scenario files write them: a number with an optional unit, binary (<c>KiB</c>, <c>MiB</c>,
/// <c>GiB</c>, <c>TiB</c>: powers of 1024) or decimal (<c>KB</c>, <c>MB</c>, <c>GB</c>, <c>TB</c>: powers of 1000), or
/// <c>B</c>; a bare number is bytes. Examples: <c>512</c>, <c>60KiB</c>, <c>1.5MiB</c>, <c>10MB</c>.
/// </summary>
/// <remarks>
/// Units are case-insensitive (<c>kib</c> = <c>KiB</c>) but must be spelled out: <c>K</c> or <c>M</c> alone is rejected
/// rather than guessing which of 1000 and 1024 was meant. A fraction must come out to a whole number of bytes
/// (<c>1.5KiB</c> is 1536; <c>1.5B</c> is an error), and sizes are never negative. A space may separate the
/// number from its unit (<c>60 KiB</c>).
/// </remarks>
public static class ByteSize
{
    private const string Expected = "expected a number with an optional unit B, KB, MB, GB, TB, KiB, MiB, GiB or TiB, like 60KiB";

    private static readonly (string Unit, long Bytes)[] BinaryUnits =
        [("TiB", 1L << 40), ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10)];

    public static long Parse(string text)
    {
        if (TryParse(text, out long bytes, out string error)) return bytes;
        throw new FormatException(error);
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out long bytes, out string error)
    {
        bytes = 0;
        string? problem = ParseBytes((text ?? "").Trim(), out bytes);
        error = problem is null ? "" : $"invalid size \"{text}\": {problem} ({Expected})";
        return problem is null;
    }

    /// <summary>The shortest exact form: the largest binary unit that divides the value, else plain bytes.</summary>
    public static string Format(long bytes)
    {
        if (bytes != 0)
        {
            foreach (var (unit, size) in BinaryUnits)
            {
                if (bytes % size == 0) return (bytes / size).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }
        return bytes.ToString(CultureInfo.InvariantCulture) + "B";
    }

    private static string? ParseBytes(string s, out long bytes)
    {
        bytes = 0;
        if (s.Length == 0) return "empty";
        if (s[0] is '-' or '+') return s[0] == '-' ? "a size cannot be negative" : "unexpected \"+\"";

        int numberEnd = 0;
        while (numberEnd < s.Length && (char.IsAsciiDigit(s[numberEnd]) || s[numberEnd] == '.')) numberEnd++;
        string number = s[..numberEnd];
        string unit = s[numberEnd..].TrimStart();
        if (number.Length == 0) return $"unexpected \"{s[0]}\"";
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value))
        {
            return $"malformed number \"{number}\"";
        }
        if (UnitBytes(unit) is not long multiplier) return $"unknown unit \"{unit}\"";

        decimal total;
        try
        {
            total = value * multiplier;
        }
        catch (OverflowException)
        {
            return "out of range";
        }
        if (total > long.MaxValue) return "out of range";
        if (total != decimal.Truncate(total)) return "not a whole number of bytes";
        bytes = (long)total;
        return null;
    }

    private static long? UnitBytes(string unit) => unit.ToUpperInvariant() switch
    {
        "" or "B" => 1,
        "KB" => 1_000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        "TB" => 1_000_000_000_000,
        "KIB" => 1L << 10,
        "MIB" => 1L << 20,
        "GIB" => 1L << 30,
        "TIB" => 1L << 40,
        _ => null,
    };
}
