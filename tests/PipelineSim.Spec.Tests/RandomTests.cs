using FsCheck;
using FsCheck.Xunit;

namespace PipelineSim.Spec.Tests;

public class RandomStreamTests
{
    [Fact]
    public void Streams_depend_only_on_seed_and_name()
    {
        var a = new RandomStreams(42);
        var b = new RandomStreams(42);
        // b creates an extra stream and draws from it first: the named stream must not notice.
        var extra = b["newcomer"];
        for (int i = 0; i < 100; i++) extra.NextDouble();
        var fromA = Enumerable.Range(0, 100).Select(_ => a["agent-1"].NextUInt64()).ToList();
        var fromB = Enumerable.Range(0, 100).Select(_ => b["agent-1"].NextUInt64()).ToList();
        Assert.Equal(fromA, fromB);
        Assert.Same(a["agent-1"], a["agent-1"]);
    }

    [Fact]
    public void Different_names_and_seeds_give_different_streams()
    {
        var streams = new RandomStreams(1);
        Assert.NotEqual(streams["x"].NextUInt64(), streams["y"].NextUInt64());
        Assert.NotEqual(new RandomStreams(1)["x"].NextUInt64(), new RandomStreams(2)["x"].NextUInt64());
    }

    [Fact]
    public void The_first_values_are_pinned_so_runs_reproduce_across_versions()
    {
        // A golden vector: a change of algorithm or seeding would silently change every scenario's output, so it
        // must show up here first (and be a deliberate decision).
        var rng = new RandomStream(7, "w1");
        Assert.Equal(6322672884213623119UL, rng.NextUInt64());
        Assert.Equal(18364710879673005520UL, rng.NextUInt64());
    }

    [Property]
    public bool Bounded_draws_stay_in_range(ulong seed, PositiveInt bound, int min)
    {
        var rng = new RandomStream(seed, "p");
        long b = bound.Get;
        for (int i = 0; i < 20; i++)
        {
            long v = rng.NextInt64(b);
            if (v < 0 || v >= b) return false;
            int n = rng.Next(min, min + (int)Math.Min(b, int.MaxValue - (long)Math.Max(min, 0)));
            if (n < min) return false;
            double d = rng.NextDouble();
            if (d < 0 || d >= 1) return false;
        }
        return true;
    }

    [Fact]
    public void Uniform_integers_are_unbiased_enough()
    {
        var rng = new RandomStream(3, "dice");
        var counts = new int[6];
        for (int i = 0; i < 60_000; i++) counts[rng.Next(6)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }
}

public class DistributionTests
{
    [Theory]
    [InlineData("constant")]
    [InlineData("uniform")]
    [InlineData("exponential")]
    [InlineData("lognormal")]
    [InlineData("empirical")]
    public void Sample_means_approach_the_stated_mean(string kind)
    {
        IDistribution d = kind switch
        {
            "constant" => Distributions.Constant(0.7),
            "uniform" => Distributions.Uniform(0.5, 1.0),
            "exponential" => Distributions.Exponential(0.7),
            "lognormal" => Distributions.LogNormal(0.7, 0.4),
            _ => Distributions.Empirical([0.2, 0.4, 1.5]),
        };
        var rng = new RandomStream(11, kind);
        double sum = 0;
        const int n = 200_000;
        for (int i = 0; i < n; i++) sum += d.Sample(rng);
        Assert.Equal(d.Mean, sum / n, tolerance: d.Mean * 0.01);
    }

    [Fact]
    public void Lognormal_is_parameterised_by_its_own_mean_and_the_sigma_of_its_log()
    {
        var d = Distributions.LogNormal(60 * 1024, 0.5);
        var rng = new RandomStream(5, "sizes");
        var logs = Enumerable.Range(0, 100_000).Select(_ => Math.Log(d.Sample(rng))).ToArray();
        double mean = logs.Average();
        double sd = Math.Sqrt(logs.Select(x => (x - mean) * (x - mean)).Average());
        Assert.Equal(0.5, sd, tolerance: 0.01);
        Assert.Equal(Math.Log(60 * 1024) - 0.125, mean, tolerance: 0.01);
    }

    [Fact]
    public void Uniform_draws_stay_within_bounds()
    {
        var d = Distributions.Uniform(2, 3);
        var rng = new RandomStream(1, "u");
        for (int i = 0; i < 10_000; i++) Assert.InRange(d.Sample(rng), 2, 3);
    }

    [Fact]
    public void Bad_parameters_are_refused_with_a_message()
    {
        Assert.Contains("mean", Assert.Throws<ArgumentException>(() => Distributions.Exponential(0)).Message);
        Assert.Throws<ArgumentException>(() => Distributions.Uniform(3, 2));
        Assert.Throws<ArgumentException>(() => Distributions.LogNormal(1, -1));
        Assert.Throws<ArgumentException>(() => Distributions.Empirical([]));
    }

    [Fact]
    public void Distributions_describe_themselves() =>
        Assert.Equal("lognormal(mean: 0.7, sigma: 0.4)", Distributions.LogNormal(0.7, 0.4).ToString());
}

