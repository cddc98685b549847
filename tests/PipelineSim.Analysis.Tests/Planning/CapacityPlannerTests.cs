using PipelineSim.Analysis.Planning;

namespace PipelineSim.Analysis.Tests.Planning;

/// <summary>The planner end to end on a small simulated scenario, and its files.</summary>
public sealed class CapacityPlannerTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private static PlanSweep Sweep(string file, string sha) => new()
    {
        Scenario = file,
        ScenarioName = "idle-hold",
        ScenarioSha256 = sha,
        Receiver = "r",
        Grid = new PlanGrid([50, 100, 150, 200], null, [1]),
        Replications = 2,
        BaseSeed = 3,
        Duration = TimeSpan.FromMinutes(4),
        Slos = [Slo.Parse("delivered>=99%"), Slo.Parse("p99<5s")],
    };

    private PlanScenario Load()
    {
        var loaded = PlanScenario.Load(Pipelines.Write(temp, Pipelines.IdleHold));
        Assert.True(loaded.IsOk);
        return loaded.Value!;
    }

    [Fact]
    public void Recommends_a_limit_above_the_connected_clients_when_idle_connections_hold_slots()
    {
        var scenario = Load();
        var sweep = Sweep(scenario.Scenario.File, scenario.Sha256);
        var (plan, runs) = CapacityPlanner.Plan(scenario.Scenario.Pipeline, sweep);

        Assert.Equal(8, runs.Count);
        // Below 150 slots the agents beyond the limit wait in the backlog and their pushes are late or fail.
        Assert.Equal([false, false, true, true], plan.Points.Select(p => p.MeetsSlos));
        Assert.Equal([50, 100, 150, 150], plan.Points.Select(p => p.PeakConnections));
        Assert.True(plan.Points[0].PeakBacklog > 0);
        var group = Assert.Single(plan.Groups);
        Assert.Equal(150, group.Sufficient!.Point.ConnLimit);
        Assert.True(group.Recommended > 150, $"recommended {group.Recommended}");
        Assert.Equal(ConnectionRegime.KeepAliveHeld, group.Analytic!.Regime);
        Assert.Equal(150, group.Analytic.Slots);
        // Requests are few and short: the load alone would ask for a handful of slots.
        Assert.InRange(group.Analytic.OfferedLoad, 1, 3);
        Assert.Contains(group.Comparison, c => c.Contains("not with load"));
    }

    [Fact]
    public void Results_do_not_depend_on_how_many_runs_go_at_once()
    {
        var scenario = Load();
        var sweep = Sweep(scenario.Scenario.File, scenario.Sha256);
        var serial = CapacityPlanner.Run(scenario.Scenario.Pipeline, sweep, new PlanRunOptions { Parallelism = 1 });
        var parallel = CapacityPlanner.Run(scenario.Scenario.Pipeline, sweep, new PlanRunOptions { Parallelism = 4 });
        Assert.Equal(serial, parallel);
        // Replications differ from each other (their own seeds), and the seed is what makes the difference.
        Assert.NotEqual(serial[0] with { Cell = 0, Replication = 0, Seed = 0 }, serial[1] with { Cell = 0, Replication = 0, Seed = 0 });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Merging_the_shards_gives_the_unsharded_files_byte_for_byte(bool withClaim)
    {
        var scenario = Load();
        var sweep = Sweep(scenario.Scenario.File, scenario.Sha256);
        // A claim's per-run sides travel in plan.csv, so a merge judges it without the scenario, to the same bytes.
        if (withClaim) sweep = sweep with { Slos = [.. sweep.Slos, Slo.Parse("w1.retries < 100").Bind(scenario.Scenario.Kinds, out _)!] };
        var spec = scenario.Scenario.Pipeline;
        var (plan, runs) = CapacityPlanner.Plan(spec, sweep);
        string whole = Path.Combine(temp.Path, "whole"), merged = Path.Combine(temp.Path, "merged");
        var files = PlanFiles.WriteResult(whole, plan, runs);

        var facts = CapacityPlanner.Facts(spec, "r");
        var shardDirectories = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            var shard = new Shard(i, 3);
            string directory = Path.Combine(temp.Path, $"shard{i}");
            PlanFiles.WriteShard(directory, sweep, facts, shard, CapacityPlanner.Run(spec, sweep, new PlanRunOptions { Shard = shard }));
            shardDirectories.Add(directory);
        }
        var back = PlanFiles.ReadShards(shardDirectories);
        PlanFiles.WriteResult(merged, PlanEvaluator.Evaluate(back.Sweep, back.Facts, back.Runs), back.Runs);

        // plan.csv, plan-summary.csv, plan.json, plan.txt, a plot per SLO in PNG and SVG
        Assert.Equal(withClaim ? 10 : 8, files.Count);
        if (withClaim) Assert.Contains(back.Sweep.Slos, s => s.IsClaim && s.Claim is null); // read back unbound, judged from the file
        foreach (string file in files)
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(merged, Path.GetFileName(file)))), file);
    }

    [Fact]
    public void Merge_refuses_shards_of_different_sweeps_missing_shards_and_incomplete_files()
    {
        var scenario = Load();
        var sweep = Sweep(scenario.Scenario.File, scenario.Sha256);
        var facts = PlanSweeps.Facts;
        var runs = PlanSweeps.Runs(sweep, (_, _) => 10_000);
        string a = Path.Combine(temp.Path, "a"), b = Path.Combine(temp.Path, "b"), c = Path.Combine(temp.Path, "c");
        PlanFiles.WriteShard(a, sweep, facts, new Shard(0, 3), [.. runs.Where(r => r.Cell % 3 == 0)]);
        PlanFiles.WriteShard(b, sweep with { BaseSeed = 4 }, facts, new Shard(1, 3), [.. runs.Where(r => r.Cell % 3 == 1)]);
        var other = Assert.Throws<PlanException>(() => PlanFiles.ReadShards([a, b]));
        Assert.Contains("not the same sweep", Assert.Single(other.Problems), StringComparison.Ordinal);
        Assert.Contains("seed: 4 vs 3", other.Problems[0]);

        var missing = Assert.Throws<PlanException>(() => PlanFiles.ReadShards([a]));
        Assert.Equal("missing shards: 1/3, 2/3 (of 3)", Assert.Single(missing.Problems));

        PlanFiles.WriteShard(c, sweep, facts, new Shard(1, 3), [.. runs.Where(r => r.Cell % 3 == 1).Skip(1)]);
        PlanFiles.WriteShard(c, sweep, facts, new Shard(2, 3), [.. runs.Where(r => r.Cell % 3 == 2)]);
        var incomplete = Assert.Throws<PlanException>(() => PlanFiles.ReadShards([a, c]));
        Assert.Contains("holds 2 runs, but shard 1/3 of this sweep has 3", Assert.Single(incomplete.Problems));
    }

    [Fact]
    public void A_claim_is_measured_on_every_run_as_expect_measures_it_and_decides_like_any_slo()
    {
        var scenario = Load();
        var claim = Slo.Parse("w1.retries < 100").Bind(scenario.Scenario.Kinds, out string error);
        Assert.True(claim is not null, error);
        var sweep = Sweep(scenario.Scenario.File, scenario.Sha256) with { Slos = [claim, Slo.Parse("p95<5s")] };
        var (plan, runs) = CapacityPlanner.Plan(scenario.Scenario.Pipeline, sweep);

        // w1 sends every push through r, so its retries are the first-hop retries the planner counts itself.
        Assert.All(runs, r => Assert.Equal(r.FirstHopRetries, Assert.Single(r.Claims.Sides).Left));
        Assert.All(runs, r => Assert.Equal(100, r.Claims[0].Right));
        Assert.All(runs, r => Assert.InRange(r.LatencyP95, r.LatencyP90, r.LatencyP99));
        // Below 150 slots the agents beyond the limit wait in the backlog, time out and retry hundreds of times; from 150 on
        // only the restart at 3m makes a few retry.
        Assert.Equal([false, false, true, true], plan.Points.Select(p => p.Slos[0].Met));
        Assert.Equal(150, plan.Groups[0].Sufficient!.Point.ConnLimit);
        Assert.Equal("held in 2 of 2 runs", plan.Points[2].Slos[0].Note);
    }

    [Fact]
    public void A_claim_reads_config_metrics_from_the_point_it_runs()
    {
        var scenario = Load();
        var claim = Slo.Parse("r.conn_limit == 150").Bind(scenario.Scenario.Kinds, out string error);
        Assert.True(claim is not null, error);
        var sweep = Sweep(scenario.Scenario.File, scenario.Sha256) with { Slos = [claim], Replications = 1 };
        var runs = CapacityPlanner.Run(scenario.Scenario.Pipeline, sweep);
        // The file says 100; each point runs with its own conn_limit, and the claim sees that one.
        Assert.Equal([50.0, 100, 150, 200], runs.Select(r => r.Claims[0].Left));
    }

    [Fact]
    public void A_claim_that_was_not_bound_to_the_scenario_is_refused_before_running()
    {
        var scenario = Load();
        var sweep = Sweep(scenario.Scenario.File, scenario.Sha256) with { Slos = [Slo.Parse("w1.pushes.failed == 0")] };
        var e = Assert.Throws<PlanException>(() => CapacityPlanner.Run(scenario.Scenario.Pipeline, sweep));
        Assert.Contains("must be bound to the scenario's names", Assert.Single(e.Problems));
    }

    [Fact]
    public void Run_rows_read_back_equal_including_missing_values()
    {
        var sweep = PlanSweeps.Synthetic([10, 20]);
        var runs = PlanSweeps.Runs(sweep, (_, r) => 9_000 + r).Select((r, i) => i == 0
            ? r with
            {
                LatencyP99 = double.NaN,
                MeanServiceTime = 0.1 + 0.2,
                LatencyP95 = 1.0 / 3,
                Claims = new ClaimValues([new ClaimSides(0.1 + 0.2, 0), new ClaimSides(double.NaN, double.NaN)]),
            }
            : r).ToList();
        string file = temp.File("plan.csv");
        PlanCsv.WriteRuns(file, runs);
        Assert.Equal(runs, PlanCsv.ReadRuns(file));
        Assert.Equal(string.Join(",", PlanCsv.RunColumns), File.ReadLines(file).First());
    }

    [Fact]
    public void Refuses_an_unknown_receiver_before_running_anything()
    {
        var scenario = Load();
        var sweep = Sweep(scenario.Scenario.File, scenario.Sha256) with { Receiver = "nope" };
        var error = Assert.Throws<PlanException>(() => CapacityPlanner.Run(scenario.Scenario.Pipeline, sweep));
        Assert.Equal("--receiver: no component named 'nope' (receivers: r)", Assert.Single(error.Problems));
    }
}
