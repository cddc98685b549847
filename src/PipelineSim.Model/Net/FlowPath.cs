using PipelineSim.Spec;

namespace PipelineSim.Model.Net;

/// <summary>
/// The path of one flow's packets: one link, or two through an L4 balancer. It answers when a packet sent now arrives
/// (the path delay plus TCP retransmissions across partitions) and keeps the flow's slots in its links' lists.
/// </summary>
/// <remarks>
/// A value inside its <see cref="Flow"/> rather than an object of its own: every request and response reads it, and
/// at 100,000 agents one more object per flow is one more cache miss per packet. The flow keeps it in a mutable field.
/// </remarks>
internal struct FlowPath
{
    /// <summary>A packet that never arrives: tcp_retries2 ran out during a partition.</summary>
    public const long Lost = long.MaxValue;

    private int firstSlot = -1, secondSlot = -1;

    public FlowPath(Link first, Link? second)
    {
        First = first;
        Second = second;
        OneWay = first.OneWay + (second?.OneWay ?? 0);
    }

    public Link First { get; }

    public Link? Second { get; }

    public long OneWay { get; }

    /// <summary>
    /// When a packet sent now arrives at the other end: the path delay, plus TCP retransmissions (RTO doubling from
    /// 200 ms, capped at 120 s) while a link is partitioned; <see cref="Lost"/> if tcp_retries2 runs out first.
    /// </summary>
    public readonly long Deliver(long now, NetworkSpec tcp)
    {
        long sent = now;
        if (First.HasPartitions || Second?.HasPartitions == true)
        {
            sent = Retransmitted(First, sent, tcp);
            if (sent != Lost && Second is not null) sent = Retransmitted(Second, sent, tcp);
            if (sent == Lost) return Lost;
        }
        return sent + OneWay;
    }

    public readonly bool PartitionedAt(long now) =>
        First.PartitionedAt(now, out _) || (Second is not null && Second.PartitionedAt(now, out _));

    private static long Retransmitted(Link link, long sent, NetworkSpec tcp)
    {
        if (!link.PartitionedAt(sent, out long heals)) return sent;
        long rto = tcp.InitialRto.Ticks, max = tcp.MaxRto.Ticks, t = sent;
        for (int i = 0; i < tcp.DataRetries; i++)
        {
            t += rto;
            rto = Math.Min(rto * 2, max);
            if (t >= heals && !link.PartitionedAt(t, out heals)) return t;
        }
        return Lost;
    }

    // ---- the links' lists of flows (faults find the flows through them) -------------------------------------------

    public void Register(Flow flow)
    {
        firstSlot = First.Register(flow);
        if (Second is not null) secondSlot = Second.Register(flow);
    }

    public void Unregister()
    {
        if (firstSlot >= 0)
        {
            First.Unregister(firstSlot)?.OnLinkSlotMoved(First, firstSlot);
            firstSlot = -1;
        }
        if (Second is not null && secondSlot >= 0)
        {
            Second.Unregister(secondSlot)?.OnLinkSlotMoved(Second, secondSlot);
            secondSlot = -1;
        }
    }

    /// <summary>The link moved this flow to <paramref name="slot"/> of its list (another flow left it).</summary>
    public void MovedTo(Link link, int slot)
    {
        if (ReferenceEquals(link, First)) firstSlot = slot;
        else secondSlot = slot;
    }
}
