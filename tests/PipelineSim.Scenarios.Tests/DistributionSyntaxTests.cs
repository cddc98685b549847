using PipelineSim.Spec;
using PipelineSim.Scenarios.Values;

namespace PipelineSim.Scenarios.Tests;

public class DistributionSyntaxTests
{
    private static IDistribution Parse(string text, Dimension dimension)
    {
        Assert.True(DistributionSyntax.TryParse(text, dimension, out var distribution, out var error), error.Message);
        return distribution;
    }

    private static (int Offset, string Message) Error(string text, Dimension dimension)
    {
        Assert.False(DistributionSyntax.TryParse(text, dimension, out _, out var error));
        return error;
    }

    [Theory]
    [InlineData("constant(1s)", Dimension.Time, "constant(1)")]
    [InlineData("700ms", Dimension.Time, "constant(0.7)")]
    [InlineData("uniform(500ms, 1s)", Dimension.Time, "uniform(0.5, 1)")]
    [InlineData("uniform(max: 1s, min: 500ms)", Dimension.Time, "uniform(0.5, 1)")]
    [InlineData("exponential(mean: 700ms)", Dimension.Time, "exponential(mean: 0.7)")]
    [InlineData("exponential(1m30s)", Dimension.Time, "exponential(mean: 90)")]
    [InlineData("lognormal(60KiB, 0.5)", Dimension.Size, "lognormal(mean: 61440, sigma: 0.5)")]
    [InlineData("lognormal(mean: 700ms, sigma: 0.4)", Dimension.Time, "lognormal(mean: 0.7, sigma: 0.4)")]
    [InlineData("lognormal(700ms, sigma: 0.4)", Dimension.Time, "lognormal(mean: 0.7, sigma: 0.4)")]
    [InlineData("empirical([1s, 2s, 500ms])", Dimension.Time, "empirical([1, 2, 0.5])")]
    [InlineData("empirical(values: [1.5MiB])", Dimension.Size, "empirical([1572864])")]
    [InlineData("constant(4096)", Dimension.Size, "constant(4096)")]
    [InlineData("constant(0)", Dimension.Time, "constant(0)")]
    [InlineData("uniform(1, 4)", Dimension.Number, "uniform(1, 4)")]
    [InlineData("  lognormal( 60KiB ,0.5 )  ", Dimension.Size, "lognormal(mean: 61440, sigma: 0.5)")]
    public void Maps_onto_kernel_distributions_in_seconds_or_bytes(string text, Dimension dimension, string kernel) =>
        Assert.Equal(kernel, Parse(text, dimension).ToString());

    [Fact]
    public void Means_are_in_the_field_unit()
    {
        Assert.Equal(0.7, Parse("lognormal(mean: 700ms, sigma: 0.4)", Dimension.Time).Mean, 12);
        Assert.Equal(61440, Parse("lognormal(60KiB, 0.5)", Dimension.Size).Mean, 9);
        Assert.Equal(0.75, Parse("uniform(500ms, 1s)", Dimension.Time).Mean, 12);
    }

    [Theory]
    [InlineData("constant(1)", Dimension.Time, 9, "\"1\" needs a time unit, like 1ms or 1s")]
    [InlineData("uniform(1s, 60KiB)", Dimension.Time, 12, "expected a duration (like 500ms) for max, found \"60KiB\"")]
    [InlineData("uniform(2s, 1s)", Dimension.Time, 12, "uniform needs min <= max")]
    [InlineData("exponential(mean: 0s)", Dimension.Time, 18, "exponential needs mean > 0")]
    [InlineData("lognormal(1s, 0.5s)", Dimension.Time, 14, "expected a number for sigma, found \"0.5s\"")]
    [InlineData("lognormal(1s, -0.5)", Dimension.Time, 14, "sigma cannot be negative")]
    [InlineData("lognormal(1s, sigmaa: 0.5)", Dimension.Time, 14, "lognormal has no argument \"sigmaa\" (did you mean \"sigma\"?) (it takes (mean, sigma))")]
    [InlineData("lognormal(sigma: 0.5, 1s)", Dimension.Time, 22, "a positional argument cannot follow a named one")]
    [InlineData("lognormal(1s, 0.5, 3)", Dimension.Time, 19, "lognormal takes (mean, sigma): too many arguments")]
    [InlineData("lognormal(mean: 1s, mean: 2s)", Dimension.Time, 20, "mean is given twice")]
    [InlineData("empirical([])", Dimension.Time, 10, "values needs at least one value")]
    [InlineData("empirical(1s)", Dimension.Time, 10, "expected \"[\", found \"1s\"")]
    [InlineData("lognormal(1s, 0.5", Dimension.Time, 17, "expected \")\", found the end")]
    [InlineData("lognormal(1s, 0.5) x", Dimension.Time, 19, "unexpected \"x\" after the end")]
    [InlineData("", Dimension.Time, 0, "expected a duration (like 500ms) or a distribution like constant(...), uniform(...), exponential(...), lognormal(...), empirical(...)")]
    [InlineData("lognormal(1s; 0.5)", Dimension.Time, 12, "unexpected character ';'")]
    [InlineData("5x", Dimension.Size, 0, "\"5x\" is not a number, a duration (like 500ms) or a size (like 60KiB)")]
    public void Errors_say_what_and_where(string text, Dimension dimension, int offset, string message) =>
        Assert.Equal((offset, message), Error(text, dimension));

    [Fact]
    public void Sampling_uses_the_stream_passed_in()
    {
        var distribution = Parse("uniform(1s, 2s)", Dimension.Time);
        var a = new Random(1);
        var b = new Random(1);
        for (int i = 0; i < 100; i++)
        {
            double x = distribution.Sample(a);
            Assert.InRange(x, 1, 2);
            Assert.Equal(x, distribution.Sample(b));
        }
    }
}
