using PipelineSim.Analysis.Summary;
using PipelineSim.Core.Records;

namespace PipelineSim.Cli.Tests.Prometheus;

/// <summary>
/// <c>run --metrics openmetrics</c> against the real thing: the export is imported with promtool, served by
/// Prometheus on loopback, and the PromQL an operator would type (a counter's increase, a gauge's peak, a p99 from
/// the latency histogram, the Alloy dashboard's own query) answers what the run's summary says, the p99 within the
/// histogram's bucket resolution.
/// </summary>
public sealed class OpenMetricsPrometheusTests : IDisposable
{
    // 40 agents with a connection each against conn_limit 30: 30 keep their slots (a push every 15 s, far inside the
    // 120 s server idle timeout), so the connections gauge sits at its peak; the backend's latency spreads the
    // forwarded pushes over several buckets below 10 s.
    private const string Scenario = """
        name: prometheus-export
        duration: 4m
        seed: 5
        sample_step: 5s
        sources:
          agents: { count: 40, push_interval: 15s, profiles_per_push: 2, profile_bytes: 8KiB, to: w1 }
        components:
          w1: { kind: pyroscope.write, endpoints: [ { url: "http://r:8080", remote_timeout: 5s } ] }
          r: { kind: pyroscope.receive_http, conn_limit: 30, forward_to: [w2] }
          w2: { kind: pyroscope.write, endpoints: [ { url: "http://pyroscope:4040" } ] }
          pyroscope: { kind: backend, latency: "lognormal(mean: 700ms, sigma: 0.6)" }
        """;

    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Duration = TimeSpan.FromMinutes(4);

    /// <summary>A range that covers the whole run from its first sample, in Prometheus 2 (closed) and 3 (left-open) alike.</summary>
    private const string WholeRun = "[245s]";

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task A_run_exported_as_OpenMetrics_loads_into_Prometheus_and_PromQL_agrees_with_the_summary()
    {
        string file = Path.Combine(temp.Path, "prometheus-export.yaml");
        File.WriteAllText(file, Scenario);
        string run = Path.Combine(temp.Path, "run");
        var result = CliRunner.Run("run", file, "--out", run, "--metrics", "openmetrics", "--start", "2026-11-01T00:00:00Z");
        Assert.True(result.ExitCode == 0, result.StdErr + result.StdOut);
        var summary = RunSummaryJson.Read(Path.Combine(run, "summary.json"));

        string blocks = Path.Combine(temp.Path, "tsdb");
        PrometheusServer.ImportOpenMetrics(Path.Combine(run, "metrics.om"), blocks);
        using var prometheus = await PrometheusServer.StartAsync(blocks);
        var end = Start + Duration;

        // --start put time 0 at the chosen instant: the first sample is there, none before it.
        Assert.Equal(Start.ToUnixTimeSeconds(), await prometheus.ScalarAsync($"timestamp({MetricNames.ReceiveTcpConnectionsLimit})", Start));
        Assert.Empty(await prometheus.QueryAsync(MetricNames.ReceiveTcpConnectionsLimit, Start.AddMinutes(-6)));

        // A counter's increase over the run: the profiles w1 delivered.
        var w1 = summary.Endpoints.Single(e => e.Writer == "w1");
        double sent = await prometheus.ScalarAsync($"increase({MetricNames.WriteSentProfiles}{{component_id=\"w1\"}}{WholeRun})", end);
        Assert.Equal(w1.Profiles.Delivered, sent, precision: 6);
        Assert.True(sent > 0);

        // A gauge's peak: the accepted connections, and the limit beside it.
        var receiver = summary.Receivers.Single();
        Assert.Equal(30, receiver.PeakAcceptedConnections);
        Assert.Equal(receiver.PeakAcceptedConnections,
            await prometheus.ScalarAsync($"max_over_time({MetricNames.ReceiveTcpConnections}{WholeRun})", end));
        Assert.Equal(receiver.ConnLimit, await prometheus.ScalarAsync(MetricNames.ReceiveTcpConnectionsLimit, end));

        // p99 from the histogram: Prometheus interpolates inside the bucket that holds the run's exact p99.
        var w2 = summary.Endpoints.Single(e => e.Writer == "w2");
        double p99 = w2.Latency!.P99.TotalSeconds;
        double estimate = await prometheus.ScalarAsync(
            $"histogram_quantile(0.99, sum by (le) (rate({MetricNames.WriteLatency}_bucket{{component_id=\"w2\",type=\"push_endpoint\"}}{WholeRun})))", end);
        var (lower, upper) = BucketHolding(estimate);
        Assert.True(upper < 10, $"the p99 {p99} s must fall in a finite bucket for this check");
        Assert.InRange(p99, lower, upper);
        Assert.True(lower > 0, "the backend's latency should put the p99 above the first bucket");

        // The Alloy dashboard's query, as written there, evaluates over the imported run.
        double dashboard = await prometheus.ScalarAsync(
            $"histogram_quantile(0.99, sum by (le) (rate({MetricNames.WriteLatency}_bucket[1m])))", end);
        Assert.True(double.IsFinite(dashboard) && dashboard > 0, $"dashboard p99 {dashboard}");
    }

    /// <summary>The bucket (lower bound, upper bound] of prometheus.DefBuckets that a histogram_quantile answer lies in.</summary>
    private static (double Lower, double Upper) BucketHolding(double estimate)
    {
        double lower = 0;
        foreach (double bound in MetricNames.WriteLatencyBuckets)
        {
            if (estimate <= bound) return (lower, bound);
            lower = bound;
        }
        return (lower, double.PositiveInfinity);
    }
}
