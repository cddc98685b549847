using System.Globalization;
using System.Text;
using FsCheck.Xunit;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Tests.Time;

public class SecondsTextTests
{
    [Theory]
    [InlineData(0L, "0.000000")]
    [InlineData(1L, "0.000000")] // 100 ns rounds down to 0 µs
    [InlineData(5L, "0.000001")] // 500 ns rounds half away from zero
    [InlineData(10L, "0.000001")]
    [InlineData(125_000_000L, "12.500000")]
    [InlineData(36_000_000_000L, "3600.000000")]
    [InlineData(-15L, "-0.000002")]
    [InlineData(-4L, "0.000000")] // rounds to zero: no sign
    [InlineData(long.MaxValue, "922337203685.477581")]
    [InlineData(long.MinValue, "-922337203685.477581")]
    public void Formats_seconds_with_six_decimals(long ticks, string expected)
    {
        Assert.Equal(expected, SecondsText.Format(ticks));
        Assert.Equal(expected, new Instant(ticks).ToString());
    }

    [Property(MaxTest = 500)]
    public bool Matches_decimal_formatting_for_non_negative_ticks(long ticks)
    {
        ticks = ticks == long.MinValue ? 0 : Math.Abs(ticks);
        string viaDecimal = (ticks / (decimal)TimeSpan.TicksPerSecond).ToString("0.000000", CultureInfo.InvariantCulture);
        return SecondsText.Format(ticks) == viaDecimal;
    }

    [Property(MaxTest = 500)]
    public bool Utf16_and_utf8_forms_are_the_same_text(long ticks)
    {
        Span<byte> utf8 = stackalloc byte[SecondsText.MaxLength];
        Assert.True(new Instant(ticks).TryFormat(utf8, out int written, default, null));
        return Encoding.ASCII.GetString(utf8[..written]) == new Instant(ticks).ToString();
    }

    [Property(MaxTest = 500)]
    public bool Parsing_the_text_gives_the_instant_to_the_microsecond(long ticks)
    {
        ticks /= 10; // microsecond-exact values survive the trip unchanged
        ticks *= 10;
        var text = new Instant(ticks).ToString();
        return Instant.TryParse(text, out var parsed) && parsed.Ticks == ticks
            && Instant.TryParse(Encoding.ASCII.GetBytes(text), out var fromUtf8) && fromUtf8.Ticks == ticks;
    }

    [Theory]
    [InlineData("12", 120_000_000L)]
    [InlineData("12.5", 125_000_000L)]
    [InlineData("0.0000001", 1L)]
    [InlineData("-3.000000", -30_000_000L)]
    public void Parses_shorter_and_seven_decimal_forms(string text, long ticks) =>
        Assert.Equal(new Instant(ticks), Instant.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".5")]
    [InlineData("1.")]
    [InlineData("1.00000001")] // finer than a tick
    [InlineData("1e3")]
    [InlineData(" 1.0")]
    [InlineData("1,5")]
    [InlineData("922337203685.4775808")] // one tick beyond long.MaxValue
    [InlineData("99999999999999999999999")]
    public void Rejects_anything_else(string text)
    {
        Assert.False(Instant.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Instant.Parse(text));
    }

    [Fact]
    public void Reports_a_short_destination_without_writing()
    {
        Span<char> small = stackalloc char[8];
        Assert.False(SecondsText.TryFormat(125_000_000L, small, out int written));
        Assert.Equal(0, written);
    }
}
