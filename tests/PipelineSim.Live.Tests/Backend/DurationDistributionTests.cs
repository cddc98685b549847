using PipelineSim.Live.Backend;
using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Backend;

public class DurationDistributionTests
{
    [Theory]
    [InlineData("700ms", "700ms")]
    [InlineData("uniform(500ms, 1s)", "uniform(500ms, 1s)")]
    [InlineData("exponential(1s)", "exponential(1s)")]
    [InlineData("lognormal(700ms, 0.4)", "lognormal(700ms, 0.4)")]
    public void Parses_and_prints_back(string text, string expected) =>
        Assert.Equal(expected, DurationDistribution.Parse(text).ToString());

    [Theory]
    [InlineData("fast")]
    [InlineData("uniform(1s)")]
    [InlineData("uniform(2s, 1s)")]
    [InlineData("lognormal(1s, -1)")]
    [InlineData("-5ms")]
    public void Rejects_with_a_reason(string text)
    {
        Assert.False(DurationDistribution.TryParse(text, out _, out string error));
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData("lognormal(700ms, 0.4)")]
    [InlineData("exponential(700ms)")]
    [InlineData("uniform(400ms, 1s)")]
    public void The_sample_mean_is_the_stated_mean(string text)
    {
        var distribution = DurationDistribution.Parse(text);
        var random = new Random(11);
        double mean = Enumerable.Range(0, 40_000).Average(_ => distribution.Sample(random).TotalMilliseconds);
        Assert.InRange(mean, 700 * 0.97, 700 * 1.03);
    }

    [Fact]
    public void The_same_seed_gives_the_same_samples()
    {
        var distribution = DurationDistribution.Parse("lognormal(1s, 0.5)");
        var (a, b) = (new Random(3), new Random(3));
        Assert.Equal(Enumerable.Range(0, 50).Select(_ => distribution.Sample(a)), Enumerable.Range(0, 50).Select(_ => distribution.Sample(b)));
        Assert.Equal(Ms(5), DurationDistribution.Parse("5ms").Sample(a));
    }
}
