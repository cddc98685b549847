using PipelineSim.Spec;
using PipelineSim.Scenarios.Reading;

namespace PipelineSim.Scenarios.Schema;

/// <summary><c>kind: load_balancer</c>: L4 (connections pinned) or L7 (per request) in front of servers.</summary>
internal static class LoadBalancerReader
{
    private static readonly string[] L7Only = ["idle_timeout", "upstream_idle_timeout", "request_timeout"];

    public static LoadBalancerSpec Read(ReadContext context, MappingReader m, string name)
    {
        var d = new LoadBalancerSpec { Name = name };
        var layer = m.Optional("layer", d.Layer,
            Kinds.OneOf(("l4", LoadBalancerLayer.L4), ("l7", LoadBalancerLayer.L7)));
        var spec = d with
        {
            Layer = layer,
            Policy = m.Optional("policy", d.Policy,
                Kinds.OneOf(("round_robin", BalancePolicy.RoundRobin), ("least_connections", BalancePolicy.LeastConnections))),
            Targets = context.ReadReferences(m, "targets", name, ComponentKinds.Servers, carriesPushes: true),
            IdleTimeout = m.Optional("idle_timeout", d.IdleTimeout, Kinds.Duration, Check.Positive),
            UpstreamIdleTimeout = m.Optional("upstream_idle_timeout", d.UpstreamIdleTimeout, Kinds.Duration, Check.Positive),
            RequestTimeout = m.OptionalValue("request_timeout", Kinds.Duration, Check.Positive) ?? d.RequestTimeout,
        };
        if (layer == LoadBalancerLayer.L4)
        {
            // An L4 balancer does not speak HTTP, so these would silently do nothing.
            foreach (string key in L7Only.Where(m.Has)) m.Report(key, $"applies to layer l7 only (this load balancer is l4)");
        }
        m.Finish();
        return spec;
    }
}
