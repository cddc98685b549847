using PipelineSim.Analysis.Planning;
using PipelineSim.Analysis.Statistics;
using ScenariosComparison = PipelineSim.Scenarios.Expect.Comparison;

namespace PipelineSim.Analysis.Tests.Planning;

public class SloTests
{
    [Theory]
    [InlineData("delivered>=99.9%", SloMetric.Delivered, false, 0.999)]
    [InlineData(" delivered >= 0.999 ", SloMetric.Delivered, false, 0.999)]
    [InlineData("delivered_ratio>99%", SloMetric.Delivered, true, 0.99)]
    [InlineData("p99<2s", SloMetric.LatencyP99, true, 2)]
    [InlineData("p90 <= 1m30s", SloMetric.LatencyP90, false, 90)]
    [InlineData("p50<500ms", SloMetric.LatencyP50, true, 0.5)]
    [InlineData("p95 <= 3s", SloMetric.LatencyP95, false, 3)]
    [InlineData("failed<=0", SloMetric.Failed, false, 0)]
    [InlineData("failed<10", SloMetric.Failed, true, 10)]
    public void Reads_each_metric_with_its_comparison_and_threshold(string text, SloMetric metric, bool strict, double threshold)
    {
        Assert.True(Slo.TryParse(text, out var slo, out string error), error);
        Assert.Equal(metric, slo.Metric);
        Assert.Equal(strict, slo.Strict);
        Assert.Equal(threshold, slo.Threshold, 12);
    }

    [Theory]
    [InlineData("delivered >= 99.9%", "delivered>=99.9%")]
    [InlineData("delivered_ratio>0.99", "delivered>0.99")]
    [InlineData("p99 < 2s", "p99<2s")]
    public void Prints_in_a_canonical_form_that_reads_back_to_the_same_slo(string text, string canonical)
    {
        var slo = Slo.Parse(text);
        Assert.Equal(canonical, slo.ToString());
        Assert.Equal(slo, Slo.Parse(slo.ToString()));
    }

    [Theory]
    [InlineData("latency<2s", "unknown metric 'latency'")]
    [InlineData("p95>1s", "use < or <=")]
    [InlineData("p99.9<1s", "unknown metric 'p99.9'")]
    [InlineData("w2.pushes.failed = 0", "'=' at character 18 is not a comparison")]
    [InlineData("0 < w1.retries < 5", "found 2 comparisons")]
    [InlineData("w1.retries >=", "a side on each side of '>='")]
    [InlineData("p99<2", "a latency needs a unit")]
    [InlineData("p99>2s", "use < or <=")]
    [InlineData("delivered<=99%", "use >= or >")]
    [InlineData("delivered>=101%", "at most 100%")]
    [InlineData("delivered>=0%", "above 0")]
    [InlineData("delivered>=lots", "not a ratio")]
    [InlineData("failed<=-1", "not a whole number")]
    [InlineData("failed<=1.5", "not a whole number")]
    [InlineData("p99<0s", "positive")]
    [InlineData("p99", "not an SLO")]
    [InlineData("", "not an SLO")]
    public void Rejects_what_it_cannot_judge_and_says_why(string text, string expected)
    {
        Assert.False(Slo.TryParse(text, out _, out string error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void A_floor_is_met_only_when_the_whole_interval_is_above_it()
    {
        var floor = Slo.Parse("delivered>=99%");
        Assert.True(floor.IsMetBy(new ConfidenceInterval(0.995, 0.99, 1, 0.95)));
        Assert.False(floor.IsMetBy(new ConfidenceInterval(0.995, 0.989, 1, 0.95)));
        Assert.False(Slo.Parse("delivered>99%").IsMetBy(new ConfidenceInterval(0.995, 0.99, 1, 0.95)));
    }

    [Fact]
    public void A_ceiling_is_met_only_when_the_whole_interval_is_below_it()
    {
        var ceiling = Slo.Parse("p99<=2s");
        Assert.True(ceiling.IsMetBy(new ConfidenceInterval(1.5, 1, 2, 0.95)));
        Assert.False(Slo.Parse("p99<2s").IsMetBy(new ConfidenceInterval(1.5, 1, 2, 0.95)));
        Assert.False(ceiling.IsMetBy(new ConfidenceInterval(1.5, 1, double.PositiveInfinity, 0.95)));
    }

    [Fact]
    public void Keys_of_repeated_metrics_are_numbered()
    {
        var slos = new[] { "p99<2s", "delivered>=99%", "p99<5s" }.Select(Slo.Parse).ToList();
        Assert.Equal(["p99", "delivered", "p99_2"], Slo.DistinctKeys(slos));
    }

    private static readonly Dictionary<string, string> ChainKinds = new()
    {
        ["agents"] = "source",
        ["w1"] = "pyroscope.write",
        ["r"] = "pyroscope.receive_http",
        ["w2"] = "pyroscope.write",
        ["pyroscope"] = "backend",
    };

    [Theory]
    [InlineData("w2.pushes.failed == 0", ScenariosComparison.Equal)]
    [InlineData("w1.retries / w1.pushes.total < 1%", ScenariosComparison.Less)]
    [InlineData("0 != w2.pushes.failed", ScenariosComparison.NotEqual)]
    [InlineData("w1.delivered_ratio >= 99.9%", ScenariosComparison.GreaterOrEqual)]
    public void A_claim_in_the_expect_language_is_kept_as_written_and_binds_to_the_scenario_s_names(string text, ScenariosComparison comparison)
    {
        Assert.True(Slo.TryParse(text, out var slo, out string error), error);
        Assert.Equal(SloMetric.Claim, slo.Metric);
        Assert.Equal(comparison, slo.ClaimComparison);
        Assert.Equal("claim", slo.Key);
        Assert.Equal(text, slo.ToString());
        Assert.Equal(slo, Slo.Parse(slo.ToString()));
        Assert.Null(slo.Claim);

        var bound = slo.Bind(ChainKinds, out error);
        Assert.True(bound is not null, error);
        Assert.Equal(text, bound.Claim!.Expectation.Text);
        Assert.Equal(slo, bound); // binding adds how to evaluate it, not a different SLO
    }

    [Theory]
    [InlineData("w9.pushes.failed == 0", "w9")]
    [InlineData("w2.pushes.lost == 0", "pushes.lost")]
    [InlineData("w2.latency.p99 < 2", "give 2 a unit")]
    public void A_claim_the_scenario_cannot_answer_is_refused_with_the_reason(string text, string expected)
    {
        var slo = Slo.Parse(text);
        Assert.Null(slo.Bind(ChainKinds, out string error));
        Assert.StartsWith($"'{text}': ", error);
        Assert.Contains(expected, error);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void A_claim_is_met_when_the_whole_interval_of_left_minus_right_stands_in_its_comparison_to_zero()
    {
        static ConfidenceInterval Ci(double lower, double upper) => new((lower + upper) / 2, lower, upper, 0.95);
        var equal = Slo.Parse("w2.pushes.failed == 0");
        Assert.True(equal.IsMetBy(Ci(0, 0)));
        Assert.False(equal.IsMetBy(Ci(-0.7, 1.5)));
        Assert.Null(equal.Headroom(Ci(0, 0)));

        var below = Slo.Parse("w1.retries < 5");
        Assert.True(below.IsMetBy(Ci(-4, -1)));
        Assert.False(below.IsMetBy(Ci(-4, 0)));
        Assert.Equal(1, below.Headroom(Ci(-4, -1)));

        var atLeast = Slo.Parse("w1.delivered_ratio >= 99%");
        Assert.True(atLeast.IsFloor);
        Assert.True(atLeast.IsMetBy(Ci(0, 0.01)));
        Assert.False(atLeast.IsMetBy(Ci(-0.001, 0.01)));

        var differs = Slo.Parse("w1.retries != 0");
        Assert.True(differs.IsMetBy(Ci(1, 3)));
        Assert.False(differs.IsMetBy(Ci(-1, 3)));
    }
}
