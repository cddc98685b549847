using PipelineSim.Kernel;
using PipelineSim.Model.Components;
using PipelineSim.Model.Http;
using PipelineSim.Model.Net;
using PipelineSim.Spec;

namespace PipelineSim.Model.Runtime;

/// <summary>
/// Puts the spec's faults into the run: partitions and random breaks become properties of their links up front;
/// flow drops, restarts and refusing outages become timed actions.
/// </summary>
internal sealed class FaultSchedule : ITimerHandler
{
    private readonly World world;
    private readonly List<Action> actions = [];

    public FaultSchedule(World world)
    {
        this.world = world;
    }

    public void DropIdleFlows(long at, Link link, MiddleboxMode mode) => At(at, () =>
    {
        var kind = mode == MiddleboxMode.Rst ? BreakKind.Rst : BreakKind.Silent;
        foreach (var flow in link.Flows.ToArray())
        {
            if (flow.IsIdle) flow.Break(kind);
        }
    });

    public void Restart(long at, HttpServer server, TimeSpan downtime) => At(at, () => server.Restart(downtime));

    public void Restart(long at, L4Balancer balancer, TimeSpan downtime) => At(at, () => balancer.Restart(downtime));

    public void Refuse(long at, Backend backend, long until) => At(at, () => backend.BeginRefusal(until));

    public static void Partition(Link link, long at, TimeSpan duration) => link.AddPartition(at, at + duration.Ticks);

    public void RandomBreaks(Link link, RandomLinkBreaksFault fault)
    {
        double perTick = fault.RatePerConnectionHour / TimeSpan.TicksPerHour;
        if (perTick <= 0) return;
        long stop = fault.Stop?.Ticks ?? long.MaxValue;
        link.Breaks = new RandomBreaks(perTick, fault.Mode, fault.Start.Ticks, stop, world.Random["breaks/" + link.Id]);
    }

    private void At(long at, Action action)
    {
        actions.Add(action);
        world.Sim.ScheduleAt(at, this, actions.Count - 1);
    }

    public void OnTimer(long token) => actions[(int)token]();
}
