using PipelineSim.Analysis.Planning;
using PipelineSim.Analysis.Statistics;

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
}
