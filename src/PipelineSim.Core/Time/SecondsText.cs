using System.Numerics;

namespace PipelineSim.Core.Time;

/// <summary>
/// The one text form of a time in PipelineSim's files: seconds with exactly six decimals (<c>12.345678</c>), a leading
/// <c>-</c> when negative, invariant, no exponent. A value in 100 ns ticks is rounded half away from zero to the
/// microsecond. Works on UTF-16 and UTF-8 alike, so CSV writers format without allocating.
/// </summary>
public static class SecondsText
{
    private const long TicksPerMicrosecond = 10;
    private const long MicrosecondsPerSecond = 1_000_000;
    private const int Decimals = 6;

    /// <summary>Enough for any <see cref="long"/> tick count: sign, 12 integer digits, point, 6 decimals.</summary>
    public const int MaxLength = 20;

    /// <summary>Writes <paramref name="ticks"/> as seconds; false (nothing written) when the destination is too short.</summary>
    public static bool TryFormat<TChar>(long ticks, Span<TChar> destination, out int written)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        long micros = Math.DivRem(ticks, TicksPerMicrosecond, out long remainder);
        if (remainder >= TicksPerMicrosecond / 2) micros++;
        else if (remainder <= -TicksPerMicrosecond / 2) micros--;

        bool negative = micros < 0;
        ulong magnitude = negative ? (ulong)-(micros + 1) + 1 : (ulong)micros; // no overflow at long.MinValue
        (ulong seconds, ulong fraction) = Math.DivRem(magnitude, (ulong)MicrosecondsPerSecond);

        int integerDigits = CountDigits(seconds);
        int length = (negative ? 1 : 0) + integerDigits + 1 + Decimals;
        written = 0;
        if (destination.Length < length) return false;

        int at = 0;
        if (negative) destination[at++] = TChar.CreateTruncating('-');
        WriteDigits(seconds, destination.Slice(at, integerDigits));
        at += integerDigits;
        destination[at++] = TChar.CreateTruncating('.');
        WriteDigits(fraction, destination.Slice(at, Decimals));
        written = length;
        return true;
    }

    public static string Format(long ticks)
    {
        Span<char> buffer = stackalloc char[MaxLength];
        TryFormat(ticks, buffer, out int written);
        return new string(buffer[..written]);
    }

    /// <summary>
    /// Reads seconds written as <c>[-]digits[.digits]</c> with at most seven decimals (the tick resolution), the form
    /// <see cref="TryFormat{TChar}"/> writes and any shorter one; false for anything else or a value beyond
    /// <see cref="long"/> ticks.
    /// </summary>
    public static bool TryParse<TChar>(ReadOnlySpan<TChar> text, out long ticks)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        ticks = 0;
        int at = 0;
        bool negative = text.Length > 0 && text[0] == TChar.CreateTruncating('-');
        if (negative) at++;

        ulong magnitude = 0;
        int integerDigits = 0;
        for (; at < text.Length && IsDigit(text[at]); at++, integerDigits++)
        {
            if (!Accumulate(ref magnitude, text[at])) return false;
        }
        if (integerDigits == 0) return false;

        int fractionDigits = 0;
        if (at < text.Length && text[at] == TChar.CreateTruncating('.'))
        {
            for (at++; at < text.Length && IsDigit(text[at]); at++, fractionDigits++)
            {
                if (fractionDigits == 7 || !Accumulate(ref magnitude, text[at])) return false;
            }
            if (fractionDigits == 0) return false;
        }
        if (at != text.Length) return false;

        for (int scale = fractionDigits; scale < 7; scale++)
        {
            if (magnitude > ulong.MaxValue / 10) return false;
            magnitude *= 10;
        }
        if (magnitude > (negative ? (ulong)long.MaxValue + 1 : long.MaxValue)) return false;
        ticks = negative ? (long)(0 - magnitude) : (long)magnitude;
        return true;
    }

    private static bool IsDigit<TChar>(TChar c) where TChar : unmanaged, IBinaryInteger<TChar> =>
        c >= TChar.CreateTruncating('0') && c <= TChar.CreateTruncating('9');

    private static bool Accumulate<TChar>(ref ulong value, TChar digit) where TChar : unmanaged, IBinaryInteger<TChar>
    {
        ulong d = ulong.CreateTruncating(digit - TChar.CreateTruncating('0'));
        if (value > (ulong.MaxValue - d) / 10) return false;
        value = value * 10 + d;
        return true;
    }

    private static int CountDigits(ulong value)
    {
        int digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }
        return digits;
    }

    /// <summary>Fills <paramref name="destination"/> with <paramref name="value"/>, zero-padded on the left.</summary>
    private static void WriteDigits<TChar>(ulong value, Span<TChar> destination) where TChar : unmanaged, IBinaryInteger<TChar>
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            (value, ulong digit) = Math.DivRem(value, 10UL);
            destination[i] = TChar.CreateTruncating('0' + (int)digit);
        }
    }
}
