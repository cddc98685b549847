using PipelineSim.Analysis.Planning;
using PipelineSim.Spec;

namespace PipelineSim.Analysis.Tests.Planning;

/// <summary>A receiver behind a load balancer is planned with the balancer's other targets, or refused with the reason.</summary>
public sealed class BalancedGroupTests : IDisposable
{
    // 150 keep-alive agents through an L4 round-robin balancer to two receivers: 75 held connections each.
    private const string Balanced = """
        name: balanced
        duration: 4m
        seed: 3
        sources:
          agents: { count: 150, push_interval: 60s, profile_bytes: "lognormal(60KiB, 0.5)", to: w1 }
        components:
          w1: { kind: pyroscope.write, endpoints: [ { url: "http://lb:8080" } ] }
          lb: { kind: load_balancer, layer: l4, policy: round_robin, targets: [r1, r2] }
          r1: { kind: pyroscope.receive_http, conn_limit: 40, forward_to: [w2] }
          r2: { kind: pyroscope.receive_http, conn_limit: 40, forward_to: [w2] }
          w2: { kind: pyroscope.write, endpoints: [ { url: "http://pyroscope:4040" } ] }
          pyroscope: { kind: backend, latency: "lognormal(mean: 700ms, sigma: 0.4)" }
        """;

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_receiver_behind_a_balancer_is_planned_with_every_target_of_it()
    {
        var spec = Pipelines.Spec(Balanced);
        var topology = ReceiverTopology.TryRead(spec, "r1", out string error);
        Assert.True(topology is not null, error);
        Assert.Equal(["r1", "r2"], topology.Instances);

        var (variant, instances) = PlanVariant.Apply(spec, topology, new PlanPoint(0, 90, null, 1), null);
        Assert.Equal(["r1", "r2"], instances);
        Assert.All(variant.Components.OfType<ReceiverSpec>(), r => Assert.Equal(90, r.Http.ConnLimit));

        var facts = ReceiverFacts.Of(spec, topology);
        Assert.Equal((2, "lb: L4, round robin"), (facts.GroupSize, facts.Balancer));
    }

    [Fact]
    public void The_plan_and_its_estimate_are_per_instance_with_the_load_split_over_the_targets()
    {
        var loaded = PlanScenario.Load(Pipelines.Write(temp, Balanced));
        Assert.True(loaded.IsOk);
        var sweep = new PlanSweep
        {
            Scenario = loaded.Value!.Scenario.File,
            ScenarioName = "balanced",
            ScenarioSha256 = loaded.Value.Sha256,
            Receiver = "r1",
            Grid = new PlanGrid([40, 75, 120], null, [1]),
            Replications = 1,
            BaseSeed = 3,
            Duration = TimeSpan.FromMinutes(4),
            Slos = [Slo.Parse("delivered>=99%")],
        };
        var (plan, _) = CapacityPlanner.Plan(loaded.Value.Scenario.Pipeline, sweep);

        // Round robin pins 75 connections to each target: 40 is too few, 75 suffices, and no target ever holds more.
        Assert.Equal([false, true, true], plan.Points.Select(p => p.MeetsSlos));
        Assert.Equal([40, 75, 75], plan.Points.Select(p => p.PeakConnections));
        var group = Assert.Single(plan.Groups);
        Assert.Equal(75, group.Analytic!.HeldPerInstance);
        Assert.Equal(75, group.Analytic.Slots);
        Assert.Contains(group.Comparison, c => c.Contains("one of 2 targets of load balancer lb: L4, round robin"));
    }

    [Theory]
    [InlineData("lb2: { kind: load_balancer, targets: [r1] }", "is a target of several load balancers (lb, lb2)")]
    [InlineData("lb: { kind: load_balancer, targets: [r1, pyroscope] }", "also targets 'pyroscope', which is not a pyroscope.receive_http")]
    [InlineData("r2: { kind: pyroscope.receive_http, conn_limit: 40, accept_backlog: 10, forward_to: [w2] }", "differ in accept_backlog")]
    [InlineData("w0: { kind: pyroscope.write, endpoints: [ { url: \"http://r2:8080\" } ] }", "w0 connects to 'r2' directly, past load balancer lb")]
    public void A_group_that_cannot_share_one_conn_limit_is_refused_with_the_reason(string change, string reason)
    {
        string key = change[..change.IndexOf(':', StringComparison.Ordinal)];
        var lines = Balanced.Split('\n').ToList();
        int existing = lines.FindIndex(l => l.TrimStart().StartsWith(key + ":", StringComparison.Ordinal));
        if (existing >= 0) lines[existing] = "  " + change;
        else lines.Insert(lines.FindIndex(l => l.TrimStart().StartsWith("pyroscope:", StringComparison.Ordinal)), "  " + change);
        var spec = Pipelines.Spec(string.Join('\n', lines));

        Assert.Null(ReceiverTopology.TryRead(spec, "r1", out string error));
        Assert.Contains(reason, error);
    }
}
