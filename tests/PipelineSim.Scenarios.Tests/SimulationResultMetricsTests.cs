using PipelineSim.Model;
using PipelineSim.Spec;
using PipelineSim.Core.Records;
using PipelineSim.Scenarios.Expect;

namespace PipelineSim.Scenarios.Tests;

/// <summary>A scenario file run through the real model, its assertions checked against the result.</summary>
public class SimulationResultMetricsTests
{
    private sealed class NoRecords : IRecordSink
    {
        public void OnPush(in PushRecord push) { }

        public void OnAttempt(in AttemptRecord attempt) { }

        public void OnSample(in MetricSample sample) { }
    }

    private const string Chain = """
        name: small-chain
        duration: 2m
        seed: 3
        sources:
          agents: { count: 5, push_interval: 15s, profiles_per_push: 2, to: w1 }
        components:
          w1: { kind: pyroscope.write, endpoints: [ { url: r } ] }
          r:  { kind: pyroscope.receive_http, forward_to: [w2] }
          w2: { kind: pyroscope.write, endpoints: [ { url: pyroscope } ] }
          pyroscope: { kind: backend, latency: 100ms }
        expect:
          - w1.pushes.failed == 0
          - w1.delivered_ratio == 100%
          - w1.attempts.max == 1
          - w2.pushes.total >= 2 * w1.pushes.delivered
          - r.connections.peak <= r.conn_limit
          - r.syn_drops == 0
          - pyroscope.requests.ingested == w2.pushes.delivered
          - agents.profiles.created == 2 * agents.pushes.total
          - w1.latency.p99 >= 100ms
          - w1.latency.max < 1s
          - w1.sent_bytes == w1.sent_profiles * 64KiB
          - w2.attempt_latency.max >= 100ms
          - w2.attempt_latency.mean <= w2.attempt_latency.max
          - pyroscope.queue.peak == 0
        """;

    private static (Scenario Scenario, SimulationResult Result, RecordFigures Figures) Run(string yaml)
    {
        var scenario = ScenarioText.Load(yaml);
        var figures = new RecordFigures(new NoRecords());
        return (scenario, SimulationRun.Execute(scenario.Pipeline, figures), figures);
    }

    [Fact]
    public void A_clean_chain_meets_its_expectations()
    {
        var (scenario, result, figures) = Run(Chain);
        var outcomes = scenario.CheckExpectations(new SimulationResultMetrics(result, scenario, figures));
        Assert.All(outcomes, o => Assert.True(o.Passed, o.ToString()));
        Assert.True(result.Writer("w1").Delivered > 0);
    }

    [Fact]
    public void Every_catalogued_metric_has_a_value_after_a_run()
    {
        var (scenario, result, figures) = Run(Chain);
        var metrics = new SimulationResultMetrics(result, scenario, figures);
        foreach (var (name, kind) in scenario.Kinds)
        {
            foreach (var definition in MetricCatalog.For(kind))
            {
                string metric = definition.Pattern.Replace(MetricDefinition.CodePlaceholder, "deadline_exceeded");
                bool known = metrics.TryGetMetric(name, metric, out _) || scenario.ConfigMetrics.ContainsKey($"{name}.{metric}");
                Assert.True(known, $"{name}.{metric} has no value");
            }
        }
    }

    [Fact]
    public void Values_come_from_the_result_in_seconds_and_bytes()
    {
        var (scenario, result, figures) = Run(Chain);
        var metrics = new SimulationResultMetrics(result, scenario, figures);
        double Get(string component, string metric) => metrics.TryGetMetric(component, metric, out double v) ? v : double.NaN;

        var w1 = result.Writer("w1");
        Assert.Equal(w1.Delivered, Get("w1", "pushes.delivered"));
        Assert.Equal(w1.Endpoints[0].LatencyP99.TotalSeconds, Get("w1", "latency.p99"));
        Assert.Equal(w1.Endpoints[0].SentBytes, Get("w1", "sent_bytes"));
        Assert.Equal(1.0, Get("w1", "attempts.mean"));
        Assert.Equal(result.Receiver("r").PeakAcceptedConnections, Get("r", "connections.peak"));
        Assert.Equal(result.Backend("pyroscope").Requests, Get("pyroscope", "requests.total"));
        Assert.False(metrics.TryGetMetric("w1", "no.such", out _));
        Assert.False(metrics.TryGetMetric("nobody", "pushes.total", out _));
        Assert.Equal(figures.MaxAttemptLatency("w2")!.Value.TotalSeconds, Get("w2", "attempt_latency.max"));
        Assert.False(new SimulationResultMetrics(result, scenario).TryGetMetric("w2", "attempt_latency.max", out _));
    }

    [Fact]
    public void Record_figures_pass_every_record_on_and_read_the_queue_from_samples()
    {
        var inner = new Counting();
        var figures = new RecordFigures(inner);
        var t = new Core.Time.Instant(0);
        figures.OnSample(new MetricSample(t, MetricNames.BackendRequests, "component_id=\"b\",state=\"queued\"", 3));
        figures.OnSample(new MetricSample(t, MetricNames.BackendRequests, "component_id=\"b\",state=\"serving\"", 50));
        figures.OnSample(new MetricSample(t, MetricNames.BackendRequests, "component_id=\"b\",state=\"queued\"", 1));
        Assert.Equal((3.0, 3), (figures.QueuePeak("b"), inner.Samples));
        Assert.Null(figures.QueuePeak("other"));
        Assert.Null(figures.MaxAttemptLatency("w1"));
    }

    private sealed class Counting : IRecordSink
    {
        public int Samples { get; private set; }

        public void OnPush(in PushRecord push) { }

        public void OnAttempt(in AttemptRecord attempt) { }

        public void OnSample(in MetricSample sample) => Samples++;
    }

    [Fact]
    public void A_broken_expectation_fails_with_the_value_seen()
    {
        var (scenario, result, figures) = Run(Chain + "\n  - w1.pushes.failed > 0");
        var failed = Assert.Single(scenario.CheckExpectations(new SimulationResultMetrics(result, scenario, figures)), o => !o.Passed);
        Assert.Equal("s.yaml:26:5: expect[14]: failed: w1.pushes.failed > 0 (w1.pushes.failed = 0)", failed.ToString());
    }
}
