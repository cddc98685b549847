using PipelineSim.Scenarios.Values;

namespace PipelineSim.Scenarios.Tests;

public class ExpressionLexerTests
{
    [Fact]
    public void Literals_run_through_their_units()
    {
        var tokens = ExpressionLexer.Tokenize("w1.latency.p99<=1m30s*2+1.5MiB-1e-3 >= 99.9% != .5s");
        Assert.Equal(
            ["w1", ".", "latency", ".", "p99", "<=", "1m30s", "*", "2", "+", "1.5MiB", "-", "1e-3", ">=", "99.9%", "!=", ".5s", ""],
            tokens.Select(t => t.Text));
        Assert.Equal(
            [0, 2, 3, 10, 11, 14, 16, 21, 22, 23, 24, 30, 31, 36, 39, 45, 48, 51],
            tokens.Select(t => t.Offset));
        Assert.Equal(TokenKind.End, tokens[^1].Kind);
    }

    [Theory]
    [InlineData("0.999", 0.999, Dimension.Number)]
    [InlineData("1e3", 1000, Dimension.Number)]
    [InlineData("99.9%", 0.999, Dimension.Number)]
    [InlineData("2s", 2, Dimension.Time)]
    [InlineData("1m30s", 90, Dimension.Time)]
    [InlineData("250ms", 0.25, Dimension.Time)]
    [InlineData("60KiB", 61440, Dimension.Size)]
    [InlineData("10MB", 10_000_000, Dimension.Size)]
    public void Quantities_convert_to_seconds_and_bytes(string text, double value, Dimension dimension)
    {
        Assert.True(Quantity.TryParse(text, out var quantity, out _));
        Assert.Equal(dimension, quantity.Dimension);
        Assert.Equal(value, quantity.Value, 12);
    }

    [Theory]
    [InlineData(90, Dimension.Time, "1m30s")]
    [InlineData(0.0125, Dimension.Time, "12.5ms")]
    [InlineData(61440, Dimension.Size, "60KiB")]
    [InlineData(16384, Dimension.Number, "16384")]
    [InlineData(0.99912345, Dimension.Number, "0.999123")]
    [InlineData(1.5e-9, Dimension.Number, "1.5E-09")]
    public void Quantities_format_as_a_user_writes_them(double value, Dimension dimension, string text) =>
        Assert.Equal(text, Quantity.Format(value, dimension));
}
