using System.Globalization;
using PipelineSim.Spec;

namespace PipelineSim.Analysis.Planning;

/// <summary>
/// The scenario's spec changed to one sweep point: the receiver's conn_limit, the swept source's agent count, and for
/// more than one replica, the receiver replaced by copies behind an L4 least-connections load balancer. The balancer
/// takes the receiver's name, so the writers' endpoint URLs, links and link faults need no change and the records
/// name the same endpoints; the copies are <c>&lt;receiver&gt;_1</c> ... <c>&lt;receiver&gt;_N</c>, and a restart
/// fault of the receiver restarts every copy.
/// </summary>
public static class PlanVariant
{
    public static string ReplicaName(string receiver, int replica) =>
        string.Create(CultureInfo.InvariantCulture, $"{receiver}_{replica}");

    /// <summary>Problems that make the sweep impossible for this spec, before anything runs.</summary>
    /// <param name="topology">The receiver's place in the spec; null when it has none (already reported).</param>
    public static IEnumerable<string> Check(PipelineSpec spec, ReceiverTopology? topology, PlanGrid grid)
    {
        if (grid.Fleet is { } fleet && spec.Sources.All(s => s.Name != fleet.Source))
            yield return $"--fleet: no source named '{fleet.Source}' (sources: {string.Join(", ", spec.Sources.Select(s => s.Name))})";
        int most = grid.Replicas.Max();
        if (topology is null || most <= 1) yield break;
        string receiver = topology.Receiver.Name;
        if (topology.Balancers.Count > 0)
        {
            yield return $"--replicas: '{receiver}' is already behind load balancer {string.Join(", ", topology.Balancers)}; " +
                "list more receivers among its targets in the scenario instead";
        }
        var names = spec.Components.Select(c => c.Name).Concat(spec.Sources.Select(s => s.Name)).ToHashSet(StringComparer.Ordinal);
        for (int i = 1; i <= most; i++)
        {
            if (names.Contains(ReplicaName(receiver, i)))
                yield return $"--replicas: the replica name '{ReplicaName(receiver, i)}' is already used in the scenario";
        }
    }

    /// <summary>
    /// The spec for <paramref name="point"/>, and the names of the receiver instances in it: the planned receiver
    /// and, behind a balancer, the balancer's other targets, each with the point's conn_limit.
    /// </summary>
    public static (PipelineSpec Spec, IReadOnlyList<string> Instances) Apply(PipelineSpec spec, ReceiverTopology topology, PlanPoint point, FleetSweep? fleet)
    {
        string receiver = topology.Receiver.Name;
        var original = spec.Components.OfType<ReceiverSpec>().Single(r => r.Name == receiver);
        var limited = original with { Http = original.Http with { ConnLimit = point.ConnLimit } };

        var sources = spec.Sources;
        if (fleet is not null && point.FleetSize is int size)
            sources = [.. sources.Select(s => s.Name == fleet.Source ? s with { Count = size } : s)];

        if (point.Replicas <= 1)
        {
            var components = spec.Components
                .Select(c => c is ReceiverSpec r && topology.Instances.Contains(r.Name) ? r with { Http = r.Http with { ConnLimit = point.ConnLimit } } : c)
                .ToList();
            return (spec with { Sources = sources, Components = components }, topology.Instances);
        }

        var replicas = Enumerable.Range(1, point.Replicas).Select(i => limited with { Name = ReplicaName(receiver, i) }).ToList();
        var balancer = new LoadBalancerSpec
        {
            Name = receiver,
            Layer = LoadBalancerLayer.L4,
            Policy = BalancePolicy.LeastConnections,
            Targets = [.. replicas.Select(r => r.Name)],
        };
        var spread = new List<ComponentSpec>();
        foreach (var component in spec.Components)
        {
            if (component.Name != receiver) spread.Add(component);
            else spread.AddRange([balancer, .. replicas]);
        }
        var faults = spec.Faults.SelectMany(f => f is RestartFault restart && restart.Component == receiver
            ? replicas.Select(r => (FaultSpec)(restart with { Component = r.Name }))
            : [f]).ToList();
        return (spec with { Sources = sources, Components = spread, Faults = faults }, [.. replicas.Select(r => r.Name)]);
    }
}
