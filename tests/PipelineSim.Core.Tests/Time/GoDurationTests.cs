using FsCheck.Xunit;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Tests.Time;

public class GoDurationTests
{
    // Go's range, in 100 ns ticks: ±2^63 ns.
    private const long MaxGoTicks = (long)((1UL << 63) / 100);

    [Theory]
    [InlineData("500ms", 500 * TimeSpan.TicksPerMillisecond)]
    [InlineData("10s", 10 * TimeSpan.TicksPerSecond)]
    [InlineData("1m30s", 90 * TimeSpan.TicksPerSecond)]
    [InlineData("1h2m3.5s", (3723 * TimeSpan.TicksPerSecond) + (500 * TimeSpan.TicksPerMillisecond))]
    [InlineData("0s", 0)]
    [InlineData("0", 0)]
    [InlineData("-0", 0)]
    [InlineData("1.5h", 90 * TimeSpan.TicksPerMinute)]
    [InlineData(".5s", 500 * TimeSpan.TicksPerMillisecond)]
    [InlineData("1.s", TimeSpan.TicksPerSecond)]
    [InlineData("-1.5h", -90 * TimeSpan.TicksPerMinute)]
    [InlineData("+10s", 10 * TimeSpan.TicksPerSecond)]
    [InlineData("5m", 5 * TimeSpan.TicksPerMinute)]
    [InlineData("1us", 10)]
    [InlineData("1µs", 10)]
    [InlineData("1μs", 10)]
    [InlineData("1.5µs", 15)]
    [InlineData("300ns", 3)]
    [InlineData("1h1h", 2 * TimeSpan.TicksPerHour)]
    [InlineData("1.1h", 39_600_000_000)] // Go's float64 fraction arithmetic gives exactly 66m
    public void Parses_go_syntax(string text, long ticks) =>
        Assert.Equal(new TimeSpan(ticks), GoDuration.Parse(text));

    [Theory]
    [InlineData("150ns", 1)]
    [InlineData("99ns", 0)]
    [InlineData("-150ns", -1)]
    [InlineData("1.23456789s", 12_345_678)]
    public void Truncates_below_one_tick_toward_zero(string text, long ticks) =>
        Assert.Equal(new TimeSpan(ticks), GoDuration.Parse(text));

    [Theory]
    [InlineData("1ns")]
    [InlineData("150ns")]
    [InlineData("1.00000005s")]
    public void The_whole_tick_parse_refuses_what_truncation_would_change(string text)
    {
        Assert.False(GoDuration.TryParseWholeTicks(text, out _, out string error));
        Assert.Equal($"invalid duration \"{text}\": finer than 100ns, the tick the simulation counts time in (use a whole multiple of 100ns)", error);
    }

    [Theory]
    [InlineData("100ns", 1)]
    [InlineData("1.5µs", 15)]
    [InlineData("-200ns", -2)]
    [InlineData("1m30s", 90 * TimeSpan.TicksPerSecond)]
    [InlineData("0", 0)]
    public void The_whole_tick_parse_accepts_whole_ticks_as_the_plain_parse_does(string text, long ticks)
    {
        Assert.True(GoDuration.TryParseWholeTicks(text, out var value, out _));
        Assert.Equal(new TimeSpan(ticks), value);
        Assert.Equal(GoDuration.Parse(text), value);
    }

    [Fact]
    public void The_whole_tick_parse_reports_syntax_errors_as_the_plain_parse_does()
    {
        Assert.False(GoDuration.TryParseWholeTicks("10", out _, out string strict));
        Assert.False(GoDuration.TryParse("10", out _, out string plain));
        Assert.Equal(plain, strict);
    }

    [Theory]
    [InlineData("10", "missing unit")]
    [InlineData("1d", "unknown unit \"d\"")]
    [InlineData("-", "sign without a number")]
    [InlineData("", "empty")]
    [InlineData("s", "unexpected \"s\"")]
    [InlineData(".s", "a point without digits")]
    [InlineData("1h ", "unknown unit \"h \"")]
    [InlineData("10S", "unknown unit \"S\"")]
    [InlineData("2562048h", "out of range")]
    [InlineData("9223372036854775808ns", "out of range")]
    [InlineData("99999999999999999999s", "out of range")]
    public void Rejects_with_a_message_that_quotes_the_input_and_says_what_is_expected(string text, string problem)
    {
        var ex = Assert.Throws<FormatException>(() => GoDuration.Parse(text));
        Assert.StartsWith($"invalid duration \"{text}\": {problem} (expected a number followed by", ex.Message);
        Assert.Contains("like 500ms or 1m30s", ex.Message);
    }

    [Fact]
    public void The_exact_message_for_a_missing_unit() =>
        Assert.Equal(
            "invalid duration \"10\": missing unit (expected a number followed by ns, us, µs, ms, s, m or h, like 500ms or 1m30s)",
            Assert.Throws<FormatException>(() => GoDuration.Parse("10")).Message);

    [Fact]
    public void The_most_negative_go_duration_parses_but_its_positive_twin_does_not()
    {
        Assert.Equal(new TimeSpan(-MaxGoTicks), GoDuration.Parse("-9223372036854775808ns"));
        Assert.Equal(new TimeSpan(MaxGoTicks), GoDuration.Parse("9223372036854775807ns"));
    }

    [Fact]
    public void TryParse_reports_null_as_empty()
    {
        Assert.False(GoDuration.TryParse(null, out var value, out var error));
        Assert.Equal(TimeSpan.Zero, value);
        Assert.StartsWith("invalid duration \"\": empty", error);
    }

    [Theory]
    [InlineData(500 * TimeSpan.TicksPerMillisecond, "500ms")]
    [InlineData(10 * TimeSpan.TicksPerSecond, "10s")]
    [InlineData(90 * TimeSpan.TicksPerSecond, "1m30s")]
    [InlineData((3723 * TimeSpan.TicksPerSecond) + (500 * TimeSpan.TicksPerMillisecond), "1h2m3.5s")]
    [InlineData(0, "0s")]
    [InlineData(15, "1.5µs")]
    [InlineData(1, "100ns")]
    [InlineData(TimeSpan.TicksPerHour, "1h0m0s")]
    [InlineData(2 * TimeSpan.TicksPerMinute, "2m0s")]
    [InlineData(-90 * TimeSpan.TicksPerSecond, "-1m30s")]
    [InlineData(12_345_678, "1.2345678s")]
    [InlineData(12_345, "1.2345ms")]
    [InlineData(5 * TimeSpan.TicksPerMinute, "5m0s")]
    public void Formats_like_go(long ticks, string expected) =>
        Assert.Equal(expected, GoDuration.Format(new TimeSpan(ticks)));

    [Fact]
    public void Formats_every_timespan_even_beyond_go_range() =>
        Assert.Equal("-256204778h48m5.4775808s", GoDuration.Format(TimeSpan.MinValue));

    [Property]
    public bool Format_then_parse_is_identity_over_go_range(int high, uint low, bool negative)
    {
        long magnitude = (((long)high << 32) | low) & long.MaxValue;
        long ticks = magnitude % (MaxGoTicks + 1);
        var value = new TimeSpan(negative ? -ticks : ticks);
        return GoDuration.Parse(GoDuration.Format(value)) == value;
    }

    [Property]
    public bool Format_then_parse_is_identity_for_small_values(int ticks) =>
        GoDuration.Parse(GoDuration.Format(new TimeSpan(ticks))) == new TimeSpan(ticks);
}
