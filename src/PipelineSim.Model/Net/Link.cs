using PipelineSim.Kernel;
using PipelineSim.Spec;

namespace PipelineSim.Model.Net;

/// <summary>
/// The network between two components at run time: its delay, its middlebox, its scheduled partitions, its random
/// breaks, and the flows crossing it (so faults can find them).
/// </summary>
internal sealed class Link
{
    private readonly List<Flow> flows = [];
    private (long Start, long End)[] partitions = [];

    public Link(string id, long rtt, MiddleboxSpec? middlebox)
    {
        Id = id;
        OneWay = rtt / 2;
        Middlebox = middlebox;
        MiddleboxIdle = middlebox?.IdleTimeout.Ticks ?? long.MaxValue;
    }

    public string Id { get; }

    public long OneWay { get; }

    public MiddleboxSpec? Middlebox { get; }

    /// <summary>The middlebox's idle timeout in ticks; long.MaxValue without one.</summary>
    public long MiddleboxIdle { get; }

    public RandomBreaks? Breaks { get; set; }

    public IReadOnlyList<Flow> Flows => flows;

    public bool HasPartitions => partitions.Length > 0;

    public void AddPartition(long start, long end)
    {
        partitions = [.. partitions, (start, end)];
        Array.Sort(partitions);
    }

    /// <summary>The partition window containing <paramref name="time"/>, if any.</summary>
    public bool PartitionedAt(long time, out long healsAt)
    {
        foreach (var (start, end) in partitions)
        {
            if (time >= start && time < end)
            {
                healsAt = end;
                return true;
            }
        }
        healsAt = 0;
        return false;
    }

    public int Register(Flow flow)
    {
        flows.Add(flow);
        return flows.Count - 1;
    }

    /// <summary>Swap-removes the flow at <paramref name="slot"/> and returns the flow moved into it (to fix its slot).</summary>
    public Flow? Unregister(int slot)
    {
        int last = flows.Count - 1;
        Flow? moved = null;
        if (slot != last)
        {
            moved = flows[last];
            flows[slot] = moved;
        }
        flows.RemoveAt(last);
        return moved;
    }
}

/// <summary>Random flow breaks on a link: a Poisson process per connection between start and stop.</summary>
internal sealed record RandomBreaks(double RatePerTick, MiddleboxMode Mode, long Start, long Stop, RandomStream Random);
