using PipelineSim.Core.Time;

namespace PipelineSim.Core.Agents;

/// <summary>What an agent does at a tick.</summary>
public enum AgentTickKind
{
    /// <summary>Push now; the next tick is due one interval later.</summary>
    Push,

    /// <summary>The previous push still runs: no push for this tick (counted in <see cref="AgentTicker.SkippedTicks"/>).</summary>
    Skip,

    /// <summary>The tick is at or after the stop: the agent is done, no further tick.</summary>
    Stopped,
}

public readonly record struct AgentTick(AgentTickKind Kind, Instant Next);

/// <summary>
/// One agent's ticker: ticks at <c>first + k·interval</c> before the stop, one push per tick, and a tick that comes
/// while the previous push still runs is skipped (a ticker that drops the ticks a slow receiver missed, as the
/// agents' upload loops do), so the next push waits for the next tick. Sans I/O: an event-driven driver reports each
/// tick (<see cref="OnTick"/>) and the push's end (<see cref="OnPushDone"/>); a driver that pushes synchronously
/// asks after each push which tick is next (<see cref="NextTickAfterPush"/>). A tick at the very instant a push
/// ends counts as having come while it ran.
/// </summary>
public sealed class AgentTicker : IAgentSchedule
{
    private readonly long lastTickIndex;
    private long tickIndex;
    private bool busy;

    public AgentTicker(Instant first, TimeSpan interval, Instant stop)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "The interval must be positive.");
        First = first;
        Interval = interval;
        Stop = stop;
        lastTickIndex = stop > first ? ((stop - first).Ticks - 1) / interval.Ticks : -1;
    }

    public Instant First { get; }

    public TimeSpan Interval { get; }

    public Instant Stop { get; }

    public long SkippedTicks { get; private set; }

    /// <summary>A tick came at <paramref name="now"/> (event-driven drivers).</summary>
    public AgentTick OnTick(Instant now)
    {
        if (now >= Stop) return new AgentTick(AgentTickKind.Stopped, Instant.MaxValue);
        var next = now + Interval;
        if (busy)
        {
            SkippedTicks++;
            return new AgentTick(AgentTickKind.Skip, next);
        }
        busy = true;
        return new AgentTick(AgentTickKind.Push, next);
    }

    /// <summary>The running push ended (event-driven drivers).</summary>
    public void OnPushDone() => busy = false;

    /// <summary>
    /// For a driver that pushes at a tick and waits for the push: it ended at <paramref name="now"/>; the ticks that
    /// came meanwhile (before the stop) are skipped. Returns the next tick to wait for, or null when it would be at
    /// or after the stop.
    /// </summary>
    public Instant? NextTickAfterPush(Instant now)
    {
        busy = false;
        long next = now < First ? 0 : (now - First).Ticks / Interval.Ticks + 1;
        SkippedTicks += Math.Max(0, Math.Min(next - 1, lastTickIndex) - tickIndex);
        tickIndex = Math.Max(tickIndex, next);
        var due = First + TimeSpan.FromTicks(tickIndex * Interval.Ticks);
        return due < Stop ? due : null;
    }
}
