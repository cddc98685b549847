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
    public void The_readme_lists_every_metric()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        foreach (string kind in MetricCatalog.Kinds)
        {
            foreach (var definition in MetricCatalog.For(kind))
            {
                string pattern = definition.Pattern;
                bool latency = definition.Dimension == Values.Dimension.Time && pattern.Split('.') is [_, var statistic] && MetricCatalog.LatencyStatistics.Contains(statistic);
                string shown = latency
                    ? $"`{pattern.Split('.')[0]}.<statistic>`"
                    : $"`{pattern}`";
                Assert.True(readme.Contains(shown, StringComparison.Ordinal), $"README.md does not list {kind} {shown}");
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PipelineSim.sln"))) return directory.FullName;
        }
        throw new DirectoryNotFoundException("no PipelineSim.sln above the test output");
    }
}
