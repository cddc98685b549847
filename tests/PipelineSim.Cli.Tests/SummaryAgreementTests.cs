using PipelineSim.Cli.Running;
using PipelineSim.Model;
using PipelineSim.Scenarios;

namespace PipelineSim.Cli.Tests;

/// <summary>
/// The simulator keeps exact figures while it runs (what <c>expect:</c> reads), and the records are summarised again
/// by Analysis (what the console and summary.json show). Both must tell the same numbers.
/// </summary>
public sealed class SummaryAgreementTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("pipelinesim-agree-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [Fact]
    public void The_simulators_figures_and_the_record_summary_agree_per_endpoint()
    {
        var loaded = ScenarioLoader.Parse("""
            name: agree
            duration: 5m
            seed: 9
            sources:
              agents: { count: 40, push_interval: 10s, profiles_per_push: 3, to: w1 }
            components:
              w1: { kind: pyroscope.write, endpoints: [ { url: r, remote_timeout: 2s } ] }
              r:  { kind: pyroscope.receive_http, forward_to: [w2], conn_limit: 30, accept_backlog: 5 }
              w2: { kind: pyroscope.write, endpoints: [ { url: pyroscope, remote_timeout: 1s } ] }
              pyroscope:
                kind: backend
                latency: "lognormal(mean: 300ms, sigma: 0.8)"
                errors: [ { code: unavailable, probability: 0.05 } ]
            """, "agree.yaml");
        Assert.True(loaded.IsOk);
        var result = ScenarioExecution.Run(loaded.Value, _output, new RunOptions());

        foreach (var endpoint in result.Summary.Endpoints)
        {
            var simulated = result.Simulation.Writer(endpoint.Writer).Endpoints.Single(e => e.Endpoint == endpoint.Endpoint);
            Assert.Equal(simulated.Pushes, endpoint.Pushes);
            Assert.Equal(simulated.Delivered, endpoint.Delivered);
            Assert.Equal(simulated.Failed, endpoint.Failed);
            Assert.Equal(simulated.InFlight, endpoint.InFlight);
            Assert.Equal(simulated.Retries, endpoint.Retries);
            Assert.Equal(simulated.FailedByCode, endpoint.FailedByCode);
            Assert.Equal(simulated.AttemptsByCode, endpoint.AttemptsByCode);
            var histogram = simulated.AttemptsPerPush.Select((pushes, attempts) => (attempts, pushes)).Where(b => b.pushes > 0);
            Assert.Equal(histogram, endpoint.Attempts.Where(b => b.Pushes > 0).Select(b => (b.Attempts, b.Pushes)));
            Assert.NotNull(endpoint.Latency);
            Assert.Equal(simulated.LatencyP50, endpoint.Latency!.P50);
            Assert.Equal(simulated.LatencyP90, endpoint.Latency.P90);
            Assert.Equal(simulated.LatencyP99, endpoint.Latency.P99);
            Assert.Equal(simulated.LatencyMax, endpoint.Latency.Max);
        }
        // The scenario is built to exercise failures and retries, so the comparison is not of zeros.
        Assert.Contains(result.Summary.Endpoints, e => e.Failed > 0);
        Assert.Contains(result.Summary.Endpoints, e => e.Retries > 0);
    }
}
