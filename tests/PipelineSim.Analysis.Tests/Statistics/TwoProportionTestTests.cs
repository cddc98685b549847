using PipelineSim.Analysis.Statistics;

namespace PipelineSim.Analysis.Tests.Statistics;

public class TwoProportionTestTests
{
    [Theory]
    // Fisher's tea-tasting table, 3 of 4 against 1 of 4: R's fisher.test gives 0.4857 (= 34/70).
    [InlineData(3, 4, 1, 4, 34.0 / 70)]
    // Dieting by sex, 1 of 12 against 9 of 12: R's fisher.test gives 0.002759.
    [InlineData(1, 12, 9, 12, 0.0027594561852200836)]
    // All against none of 12: only this table and its mirror are as extreme, 2 / C(24, 12).
    [InlineData(12, 12, 0, 12, 2.0 / 2704156)]
    // Equal shares are as likely as anything.
    [InlineData(5, 10, 5, 10, 1.0)]
    public void Gives_the_two_sided_p_value_of_Fishers_exact_test(long x1, long n1, long x2, long n2, double expected)
    {
        Assert.Equal(expected, TwoProportionTest.PValue(x1, n1, x2, n2), expected * 1e-9);
        Assert.Equal(expected, TwoProportionTest.PValue(x2, n2, x1, n1), expected * 1e-9); // symmetric in the sides
    }

    [Theory]
    [InlineData(0, 0, 3, 5)]    // a side with nothing to count
    [InlineData(0, 7, 0, 9)]    // nothing counted
    [InlineData(7, 7, 9, 9)]    // everything counted
    public void Nothing_to_tell_apart_is_no_evidence(long x1, long n1, long x2, long n2) =>
        Assert.Equal(1.0, TwoProportionTest.PValue(x1, n1, x2, n2));

    [Fact]
    public void Large_runs_are_computed_without_overflow()
    {
        double chance = TwoProportionTest.PValue(10, 3209, 12, 3209);
        double apart = TwoProportionTest.PValue(10, 3209, 40, 3209);

        Assert.InRange(chance, 0.5, 1);
        Assert.InRange(apart, 1e-7, 1e-4);
    }

    [Theory]
    [InlineData(-1, 5, 0, 5)]
    [InlineData(6, 5, 0, 5)]
    [InlineData(0, -1, 0, 5)]
    public void Impossible_counts_are_refused(long x1, long n1, long x2, long n2) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TwoProportionTest.PValue(x1, n1, x2, n2));
}

public class QuantileIntervalTests
{
    private static DurationSamples Seconds(params double[] values)
    {
        var samples = new DurationSamples();
        foreach (double v in values) samples.Add(TimeSpan.FromSeconds(v));
        return samples;
    }

    [Fact]
    public void The_median_of_ten_at_99_percent_is_held_by_the_first_and_last_values()
    {
        // Binomial(10, 0.5): P(B ≤ 0) = 0.001 ≤ 0.005 < P(B ≤ 1) = 0.011, and P(B ≤ 8) = 0.989 < 0.995 ≤ P(B ≤ 9).
        var range = QuantileInterval.Of(Seconds(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 0.5, 0.99);

        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)), range);
    }

    [Fact]
    public void The_median_of_a_thousand_is_pinned_to_a_few_ranks_either_side()
    {
        var range = QuantileInterval.Of(Seconds([.. Enumerable.Range(1, 1000).Select(i => (double)i)]), 0.5, 0.95);

        // The normal approximation: 500 ± 1.96 · √250 ≈ ranks 470 to 531.
        Assert.InRange(range.Lower.TotalSeconds, 468, 472);
        Assert.InRange(range.Upper.TotalSeconds, 529, 533);
    }

    [Fact]
    public void Bounds_the_sample_cannot_give_are_open()
    {
        var few = Seconds(1, 2, 3);

        Assert.Equal((TimeSpan.Zero, TimeSpan.MaxValue), QuantileInterval.Of(few, 0.5, 0.99));
        Assert.Equal((TimeSpan.FromSeconds(3), TimeSpan.MaxValue), QuantileInterval.Of(few, 1.0, 0.99)); // the maximum
    }
}
