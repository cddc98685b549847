using PipelineSim.Scenarios.Expect;
using PipelineSim.Scenarios.Schema;

namespace PipelineSim.Scenarios.Tests;

public class MetricCatalogTests
{
    [Fact]
    public void Every_kind_but_the_load_balancer_has_metrics()
    {
        foreach (string kind in ComponentKinds.Declarable.Append(ComponentKinds.Source).Where(k => k != ComponentKinds.LoadBalancer))
        {
            Assert.NotEmpty(MetricCatalog.For(kind));
        }
        Assert.Empty(MetricCatalog.For(ComponentKinds.LoadBalancer));
    }

    [Theory]
    [InlineData("pushes.failed.deadline_exceeded", true)]
    [InlineData("pushes.failed.resource_exhausted", true)]
    [InlineData("pushes.failed.ok", false)]
    [InlineData("pushes.failed.nonsense", false)]
    [InlineData("pushes.failed", true)]
    [InlineData("pushes", false)]
    [InlineData("latency.p99", true)]
    [InlineData("latency.p95", false)]
    public void Writer_metric_names(string metric, bool known) =>
        Assert.Equal(known, MetricCatalog.Find(ComponentKinds.Write, metric) is not null);

    [Fact]
    public void The_expect_reference_lists_every_metric()
    {
        string readme = File.ReadAllText(Path.Combine(Repository.Root, "docs", "reference", "expect-metrics.md"));
        foreach (string kind in MetricCatalog.Kinds)
        {
            foreach (var definition in MetricCatalog.For(kind))
            {
                // Latency statistics are listed once, as `latency.<statistic>`; every other metric by its name.
                string pattern = definition.Pattern;
                string grouped = $"`{pattern.Split('.')[0]}.<statistic>`";
                Assert.True(readme.Contains($"`{pattern}`", StringComparison.Ordinal) || readme.Contains(grouped, StringComparison.Ordinal),
                    $"docs/reference/expect-metrics.md does not list {kind} {pattern}");
            }
        }
    }
}
