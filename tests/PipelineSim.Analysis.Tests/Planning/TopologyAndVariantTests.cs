using PipelineSim.Analysis.Planning;
using PipelineSim.Spec;

namespace PipelineSim.Analysis.Tests.Planning;

public class TopologyAndVariantTests
{
    private const string TwoTiers = """
        name: two-tiers
        duration: 1m
        sources:
          edge: { count: 40, push_interval: 15s, to: w1 }
          batch: { count: 5, push_interval: 5m, to: w1b }
          shared: { count: 10, push_interval: 15s, writer: shared, to: w1c }
        components:
          w1:  { kind: pyroscope.write, endpoints: [ { url: http://lb:8080 }, { url: http://backup:4040 } ] }
          w1b: { kind: pyroscope.write, endpoints: [ { url: http://r1:8080 } ] }
          w1c: { kind: pyroscope.write, endpoints: [ { url: http://r1:8080 } ] }
          lb:  { kind: load_balancer, layer: l4, targets: [r1] }
          r1:  { kind: pyroscope.receive_http, forward_to: [w2] }
          w2:  { kind: pyroscope.write, endpoints: [ { url: http://r2:8080 } ] }
          r2:  { kind: pyroscope.receive_http, forward_to: [w3] }
          w3:  { kind: pyroscope.write, endpoints: [ { url: http://pyroscope:4040 } ] }
          backup: { kind: backend }
          pyroscope: { kind: backend }
        """;

    [Fact]
    public void Finds_the_endpoints_into_the_receiver_and_the_first_hop_pushes_through_it()
    {
        var spec = Pipelines.Spec(TwoTiers);
        var r1 = ReceiverTopology.TryRead(spec, "r1", out _)!;
        Assert.Equal(
            new HashSet<WriterEndpoint> { new("w1", "http://lb:8080"), new("w1b", "http://r1:8080"), new("w1c", "http://r1:8080") },
            r1.IntoReceiver.ToHashSet());
        Assert.Equal(r1.IntoReceiver.ToHashSet(), r1.FirstHop.ToHashSet()); // w1's backup endpoint does not pass r1
        Assert.Equal(["lb"], r1.Balancers);

        // r2 is second tier: its connections come from w2, and the SLO pushes are the first hops that pass through r1.
        var r2 = ReceiverTopology.TryRead(spec, "r2", out _)!;
        Assert.Equal([new WriterEndpoint("w2", "http://r2:8080")], r2.IntoReceiver);
        Assert.Equal(r1.FirstHop.ToHashSet(), r2.FirstHop.ToHashSet());
    }

    [Fact]
    public void Holders_are_own_writer_agents_pushing_within_the_idle_timeouts()
    {
        var spec = Pipelines.Spec(TwoTiers);
        var holding = ReceiverTopology.TryRead(spec, "r1", out _)!.Holding(spec);
        Assert.Equal(40, holding.Clients); // edge: every 15 s, its own pool
        Assert.Equal(40 / 15.0, holding.HoldingPushRate, 12);
        // batch pushes every 5 m, past the 120 s idle timeout (5/300 per second, each holding 120 s after its request);
        // the shared writer's pool holds connections only while requests run (10/15 per second).
        Assert.Equal(5 / 300.0 + 10 / 15.0, holding.OtherPushRate, 12);
        Assert.Equal(5 / 300.0 * 120 / holding.OtherPushRate, holding.OtherIdleHoldSeconds, 9);
        Assert.Equal(0, ReceiverTopology.TryRead(spec, "r2", out _)!.Holding(spec).Clients);
    }

    [Theory]
    [InlineData("r9", "no component named 'r9' (receivers: r1, r2)")]
    [InlineData("w1", "'w1' is not a pyroscope.receive_http")]
    public void Names_a_receiver_that_is_not_one(string name, string expected)
    {
        Assert.Null(ReceiverTopology.TryRead(Pipelines.Spec(TwoTiers), name, out string error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void A_point_sets_the_conn_limit_and_the_fleet_size()
    {
        var spec = Pipelines.Spec(Pipelines.IdleHold);
        var (variant, instances) = PlanVariant.Apply(spec, ReceiverTopology.TryRead(spec, "r", out _)!, new PlanPoint(0, 250, 90, 1), new FleetSweep("agents", [90]));
        Assert.Equal(["r"], instances);
        Assert.Equal(250, variant.Components.OfType<ReceiverSpec>().Single().Http.ConnLimit);
        Assert.Equal(90, variant.Sources.Single().Count);
        Assert.Equal(100, spec.Components.OfType<ReceiverSpec>().Single().Http.ConnLimit); // the original is untouched
        Assert.Empty(SpecValidator.Validate(variant));
    }

    [Fact]
    public void Replicas_stand_behind_a_least_connections_balancer_that_takes_the_receivers_name()
    {
        var spec = Pipelines.Spec(Pipelines.IdleHold);
        var (variant, instances) = PlanVariant.Apply(spec, ReceiverTopology.TryRead(spec, "r", out _)!, new PlanPoint(0, 80, null, 3), null);
        Assert.Equal(["r_1", "r_2", "r_3"], instances);
        var balancer = Assert.Single(variant.Components.OfType<LoadBalancerSpec>());
        Assert.Equal(("r", LoadBalancerLayer.L4, BalancePolicy.LeastConnections), (balancer.Name, balancer.Layer, balancer.Policy));
        Assert.Equal(instances, balancer.Targets);
        Assert.All(variant.Components.OfType<ReceiverSpec>(), r => Assert.Equal(80, r.Http.ConnLimit));
        // The link to r now leads to the balancer; a restart of r restarts every copy.
        Assert.Equal(["r_1", "r_2", "r_3"], variant.Faults.OfType<RestartFault>().Select(f => f.Component));
        Assert.Empty(SpecValidator.Validate(variant));
    }

    [Fact]
    public void Refuses_replicas_of_a_receiver_already_behind_a_balancer_and_an_unknown_fleet()
    {
        var spec = Pipelines.Spec(TwoTiers);
        var topology = ReceiverTopology.TryRead(spec, "r1", out _);
        var problems = PlanVariant.Check(spec, topology, new PlanGrid([10], new FleetSweep("nope", [1]), [1, 2])).ToList();
        Assert.Equal(2, problems.Count);
        Assert.Contains("--fleet: no source named 'nope' (sources: edge, batch, shared)", problems);
        Assert.Contains(problems, p => p.StartsWith("--replicas: 'r1' is already behind load balancer lb", StringComparison.Ordinal));
    }
}
