using PipelineSim.Analysis.Statistics;

namespace PipelineSim.Analysis.Tests.Statistics;

public class EstimatesTests
{
    [Fact]
    public void Mean_interval_uses_student_t_with_n_minus_one_degrees_of_freedom()
    {
        // x = 1..5: mean 3, s = √2.5, t(0.975, 4) = 2.7764451051977944 (tables; computed to 30 digits with mpmath).
        var ci = Estimates.Mean([1.0, 2, 3, 4, 5]);
        double half = 2.7764451051977944 * Math.Sqrt(2.5) / Math.Sqrt(5);
        Assert.Equal(3, ci.Estimate, 12);
        Assert.Equal(3 - half, ci.Lower, 9);
        Assert.Equal(3 + half, ci.Upper, 9);
        Assert.Equal(0.95, ci.Level);
    }

    [Fact]
    public void A_wider_level_gives_a_wider_interval_and_more_replications_a_narrower_one()
    {
        double[] ten = [.. Enumerable.Range(0, 10).Select(i => 100 + (i % 3))];
        Assert.True(Estimates.Mean(ten, 0.99).HalfWidth > Estimates.Mean(ten, 0.95).HalfWidth);
        double[] forty = [.. Enumerable.Range(0, 40).Select(i => 100 + (i % 3))];
        Assert.True(Estimates.Mean(forty).HalfWidth < Estimates.Mean(ten).HalfWidth);
        // t(0.975, 9) = 2.2621571627982053
        double s = Math.Sqrt(ten.Sum(x => (x - ten.Average()) * (x - ten.Average())) / 9);
        Assert.Equal(2.2621571627982053 * s / Math.Sqrt(10), Estimates.Mean(ten).HalfWidth, 9);
    }

    [Fact]
    public void One_replication_says_nothing_of_the_spread_and_equal_ones_have_none()
    {
        var one = Estimates.Mean([42.0]);
        Assert.Equal(42, one.Estimate);
        Assert.Equal(double.NegativeInfinity, one.Lower);
        Assert.Equal(double.PositiveInfinity, one.Upper);

        var same = Estimates.Mean([7.0, 7, 7]);
        Assert.Equal((7, 7), (same.Lower, same.Upper));
        Assert.Throws<ArgumentException>(() => Estimates.Mean([]));
    }

    [Theory]
    // Wilson bounds at 95% (z = 1.959963984540054), reference values computed with mpmath.
    [InlineData(0, 10, 0.0, 0.27753279986288925)]
    [InlineData(8, 10, 0.49016247153664170, 0.94331784854562475)]
    [InlineData(10, 10, 0.72246720013711075, 1.0)]
    public void Proportion_interval_is_wilson(long successes, long trials, double lower, double upper)
    {
        var ci = Estimates.Proportion(successes, trials);
        Assert.Equal(successes / (double)trials, ci.Estimate);
        Assert.Equal(lower, ci.Lower, 12);
        Assert.Equal(upper, ci.Upper, 12);
    }

    [Fact]
    public void Proportion_interval_shrinks_with_trials_and_reads_as_an_slo_check()
    {
        var small = Estimates.Proportion(999, 1000);
        var large = Estimates.Proportion(999_000, 1_000_000);
        Assert.True(large.HalfWidth < small.HalfWidth / 10);
        Assert.True(large.IsAtLeast(0.998));
        Assert.False(small.IsAtLeast(0.998)); // 999 of 1000 is not yet enough evidence for 99.8%
        Assert.True(small.Contains(0.999));
    }

    [Fact]
    public void A_proportion_over_agreeing_replications_is_the_pooled_wilson_interval()
    {
        var all = Estimates.ProportionOverReplications([(1000, 1000), (1000, 1000), (1000, 1000)]);
        Assert.Equal(Estimates.Proportion(3000, 3000), all);
        var close = Estimates.ProportionOverReplications([(9_990, 10_000), (9_991, 10_000), (9_992, 10_000)]);
        Assert.Equal(Estimates.Proportion(29_973, 30_000), close);
        Assert.Equal(Estimates.Proportion(5, 10), Estimates.ProportionOverReplications([(5, 10)])); // one run: no spread to see
    }

    [Fact]
    public void A_proportion_over_disagreeing_replications_widens_to_their_spread()
    {
        // Pooled 99.47% of 30,000: Wilson alone would put the lower bound at 99.38%, clear of 99%. The runs say
        // otherwise: 98.5%, 99.9% and 100% give a Student t interval reaching down to 98.2%.
        (long, long)[] runs = [(9_850, 10_000), (9_990, 10_000), (10_000, 10_000)];
        var ci = Estimates.ProportionOverReplications(runs);
        var wilson = Estimates.Proportion(29_840, 30_000);
        var spread = Estimates.Mean([0.985, 0.999, 1.0]);
        Assert.Equal(wilson.Estimate, ci.Estimate);
        Assert.True(wilson.IsAtLeast(0.99));
        Assert.Equal(spread.Lower, ci.Lower, 12);
        Assert.Equal(1.0, ci.Upper); // the t interval passes 100%: held to it
        Assert.False(ci.IsAtLeast(0.99));
    }

    [Fact]
    public void Rejects_impossible_inputs()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Estimates.Proportion(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Estimates.Proportion(11, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => Estimates.Proportion(1, 10, level: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Estimates.Mean([1.0, 2], level: 0));
    }
}
