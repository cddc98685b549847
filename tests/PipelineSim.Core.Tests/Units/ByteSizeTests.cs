using FsCheck.Xunit;
using PipelineSim.Core.Units;

namespace PipelineSim.Core.Tests.Units;

public class ByteSizeTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("512", 512)]
    [InlineData("512B", 512)]
    [InlineData("60KiB", 61_440)]
    [InlineData("1.5MiB", 1_572_864)]
    [InlineData("2GiB", 2_147_483_648)]
    [InlineData("1TiB", 1_099_511_627_776)]
    [InlineData("10KB", 10_000)]
    [InlineData("1.5MB", 1_500_000)]
    [InlineData("3GB", 3_000_000_000)]
    [InlineData("2TB", 2_000_000_000_000)]
    [InlineData("60kib", 61_440)]
    [InlineData("60 KiB", 61_440)]
    [InlineData(".5KiB", 512)]
    [InlineData("1.KiB", 1024)]
    public void Parses_binary_and_decimal_units(string text, long bytes) => Assert.Equal(bytes, ByteSize.Parse(text));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("-1KiB", "a size cannot be negative")]
    [InlineData("+1KiB", "unexpected \"+\"")]
    [InlineData("KiB", "unexpected \"K\"")]
    [InlineData("10K", "unknown unit \"K\"")]
    [InlineData("10M", "unknown unit \"M\"")]
    [InlineData("1.5B", "not a whole number of bytes")]
    [InlineData("1.2.3KiB", "malformed number \"1.2.3\"")]
    [InlineData("9000000TiB", "out of range")]
    [InlineData("10s", "unknown unit \"s\"")]
    public void Rejects_with_the_reason(string text, string reason)
    {
        Assert.False(ByteSize.TryParse(text, out _, out string error));
        Assert.Equal(
            $"invalid size \"{text}\": {reason} (expected a number with an optional unit B, KB, MB, GB, TB, KiB, MiB, GiB or TiB, like 60KiB)",
            error);
        Assert.Throws<FormatException>(() => ByteSize.Parse(text));
    }

    [Theory]
    [InlineData(0, "0B")]
    [InlineData(1000, "1000B")]
    [InlineData(61_440, "60KiB")]
    [InlineData(1_572_864, "1536KiB")]
    [InlineData(3L << 30, "3GiB")]
    [InlineData(1025, "1025B")]
    public void Formats_in_the_largest_exact_binary_unit(long bytes, string text) =>
        Assert.Equal(text, ByteSize.Format(bytes));

    [Property]
    public bool Format_round_trips(ulong value)
    {
        long bytes = (long)(value >> 1);
        return ByteSize.Parse(ByteSize.Format(bytes)) == bytes;
    }
}
