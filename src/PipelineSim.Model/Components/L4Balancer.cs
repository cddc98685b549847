using PipelineSim.Model.Http;
using PipelineSim.Model.Net;
using PipelineSim.Model.Runtime;
using PipelineSim.Spec;

namespace PipelineSim.Model.Components;

/// <summary>
/// A connection-level load balancer (NLB, kube-proxy, IPVS): the target is chosen when a connection opens, round
/// robin or by fewest open connections, and every request on that connection goes to it. It does no health checks:
/// a connection to a target that is down is refused by the target.
/// </summary>
internal sealed class L4Balancer : IDialTarget
{
    private readonly World world;
    private readonly BalancePolicy policy;
    private readonly List<Flow> flows = [];
    private int[] open = [];
    private int next;
    private long upAt;

    public L4Balancer(World world, LoadBalancerSpec spec)
    {
        this.world = world;
        Name = spec.Name;
        policy = spec.Policy;
    }

    public string Name { get; }

    /// <summary>Set once every component exists.</summary>
    public HttpServer[] Targets { get; private set; } = [];

    public void SetTargets(HttpServer[] targets)
    {
        Targets = targets;
        open = new int[targets.Length];
    }

    public HttpServer? Route(out L4Balancer? via, out int targetIndex)
    {
        via = this;
        targetIndex = -1;
        if (world.Now < upAt || Targets.Length == 0) return null;
        targetIndex = policy == BalancePolicy.LeastConnections ? Fewest() : next;
        next = (targetIndex + 1) % Targets.Length;
        return Targets[targetIndex];
    }

    private int Fewest()
    {
        int best = next;
        for (int k = 1; k < open.Length; k++)
        {
            int i = (next + k) % open.Length;
            if (open[i] < open[best]) best = i;
        }
        return best;
    }

    public void Track(Flow flow)
    {
        open[flow.BalancerTarget]++;
        flow.BalancerSlot = flows.Count;
        flows.Add(flow);
    }

    public void Untrack(Flow flow)
    {
        int slot = flow.BalancerSlot;
        if (slot < 0) return;
        open[flow.BalancerTarget]--;
        int last = flows.Count - 1;
        if (slot != last)
        {
            flows[slot] = flows[last];
            flows[slot].BalancerSlot = slot;
        }
        flows.RemoveAt(last);
        flow.BalancerSlot = -1;
    }

    /// <summary>A restart loses the flow table: every connection through it is reset on both sides, and it refuses for the downtime.</summary>
    public void Restart(TimeSpan downtime)
    {
        upAt = world.Now + downtime.Ticks;
        foreach (var flow in flows.ToArray())
        {
            flow.ResetClientSide();
            flow.Server?.ResetFlow(flow);
        }
    }
}
