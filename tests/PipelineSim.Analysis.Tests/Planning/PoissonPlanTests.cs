using PipelineSim.Analysis.Planning;

namespace PipelineSim.Analysis.Tests.Planning;

/// <summary>The planner's analytic estimate says which arrivals it assumed, and knows when the sources are Poisson.</summary>
public sealed class PoissonPlanTests : IDisposable
{
    // A shared writer's pool: no agent holds a connection of its own, so the receiver's slots follow the load (Erlang C).
    private const string Poisson = """
        name: poisson-plan
        duration: 3m
        seed: 5
        sources:
          agents: { count: 20, push_interval: 2s, arrivals: poisson, writer: shared, to: w1 }
        components:
          w1: { kind: pyroscope.write, endpoints: [ { url: "http://r:8080", max_backoff_retries: 1 } ] }
          r:  { kind: pyroscope.receive_http, conn_limit: 40, forward_to: [w2] }
          w2: { kind: pyroscope.write, endpoints: [ { url: "http://pyroscope:4040" } ] }
          pyroscope: { kind: backend, latency: "exponential(500ms)" }
        """;

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private static ReceiverFacts Facts(string yaml)
    {
        var spec = Pipelines.Spec(yaml);
        var topology = ReceiverTopology.TryRead(spec, "r", out string error);
        Assert.True(topology is not null, error);
        return ReceiverFacts.Of(spec, topology);
    }

    [Fact]
    public void Facts_say_poisson_only_when_every_source_is()
    {
        Assert.True(Facts(Poisson).PoissonArrivals);
        Assert.False(Facts(Poisson.Replace("arrivals: poisson, ", "")).PoissonArrivals);
        Assert.False(Facts(Poisson.Replace("to: w1 }", "to: w1 }\n  tickers: { count: 2, to: w1 }")).PoissonArrivals);
    }

    [Fact]
    public void A_shard_manifest_keeps_the_arrivals_and_a_ticker_plan_is_written_as_before()
    {
        var sweep = PlanSweeps.Synthetic([10, 20]);
        string poisson = Path.Combine(temp.Path, "poisson.json"), ticker = Path.Combine(temp.Path, "ticker.json");
        var facts = PlanSweeps.Facts with { PoissonArrivals = true };
        PlanJson.WriteManifest(poisson, sweep, facts, new Shard(0, 1), "00");
        PlanJson.WriteManifest(ticker, sweep, PlanSweeps.Facts, new Shard(0, 1), "00");

        Assert.Equal(facts, PlanJson.ReadManifest(poisson).Facts);
        Assert.Equal(PlanSweeps.Facts, PlanJson.ReadManifest(ticker).Facts);
        Assert.Contains("\"arrivals\": \"poisson\"", File.ReadAllText(poisson));
        Assert.DoesNotContain("\"arrivals\"", File.ReadAllText(ticker));
    }

    [Fact]
    public void The_estimate_says_what_it_assumed_about_arrivals()
    {
        Assert.Contains("as the formulas assume", PlanText.Arrivals(PlanSweeps.Facts with { PoissonArrivals = true }));
        Assert.Contains("the formulas assume Poisson arrivals: Go-ticker agents", PlanText.Arrivals(PlanSweeps.Facts));

        var loaded = PlanScenario.Load(Pipelines.Write(temp, Poisson));
        Assert.True(loaded.IsOk);
        var sweep = new PlanSweep
        {
            Scenario = loaded.Value!.Scenario.File,
            ScenarioName = "poisson-plan",
            ScenarioSha256 = loaded.Value.Sha256,
            Receiver = "r",
            Grid = new PlanGrid([40], null, [1]),
            Replications = 1,
            BaseSeed = 5,
            Duration = TimeSpan.FromMinutes(3),
            Slos = [Slo.Parse("delivered>=99%")],
        };
        var (plan, _) = CapacityPlanner.Plan(loaded.Value.Scenario.Pipeline, sweep);
        var group = Assert.Single(plan.Groups);
        Assert.Equal(ConnectionRegime.LoadDriven, group.Analytic!.Regime);
        var regime = Assert.Single(group.Comparison, c => c.Contains("Erlang C:", StringComparison.Ordinal));
        Assert.Contains("a loss formula: a real dropped SYN is sent again", regime);
        Assert.Contains("the sources have arrivals: poisson, as the formulas assume", regime);
    }
}
