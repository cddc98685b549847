using PipelineSim.Core.Time;

namespace PipelineSim.Core.Agents;

/// <summary>What an agent does at a tick.</summary>
public enum AgentTickKind
{
    /// <summary>Push now; the next tick is due one interval later.</summary>
    Push,

    /// <summary>
    /// The previous push still runs and this is the first tick to come meanwhile: Go's ticker channel holds it, so the
    /// agent pushes as soon as the previous push ends (<see cref="AgentTicker.OnPushDone"/> answers true).
    /// </summary>
    Held,

    /// <summary>
    /// The previous push still runs and a tick is already held: this one is dropped, no push for it (counted in
    /// <see cref="AgentTicker.SkippedTicks"/>).
    /// </summary>
    Skip,

    /// <summary>The tick is at or after the stop: the agent is done, no further tick.</summary>
    Stopped,
}

public readonly record struct AgentTick(AgentTickKind Kind, Instant Next);

/// <summary>
/// One agent's ticker: ticks at <c>first + k·interval</c> before the stop, one push per tick, pushing synchronously
/// as Alloy's scrape loop does (internal/component/pyroscope/scrape/scrape_loop.go: <c>for { &lt;-ticker.C; scrape() }</c>,
/// the push to <c>pyroscope.write</c> inside <c>scrape</c>). A Go <c>time.Ticker</c> sends each tick without blocking
/// into a channel that holds one (src/time/sleep.go, <c>sendTime</c>): while a push runs, the first tick waits in the
/// channel and the rest are dropped. So a push that outlasts the interval is followed at once by the next push, and
/// only the ticks beyond the first are lost; the schedule stays on the <c>first + k·interval</c> grid.
/// </summary>
/// <remarks>
/// Sans I/O, with two entry points that give the same pushes and skips: an event-driven driver reports each tick
/// (<see cref="OnTick"/>) and each push's end (<see cref="OnPushDone"/>); a driver that waits for its push asks after
/// each push when the next one starts (<see cref="NextTickAfterPush"/>). A tick at the very instant a push ends
/// counts as having come while it ran; either way the next push starts at that instant. A held tick whose push would
/// start at or after the stop makes no push and counts as skipped.
/// </remarks>
public sealed class AgentTicker : IAgentSchedule
{
    private readonly long lastTickIndex;
    private bool busy;
    private bool held;

    /// <summary>For <see cref="NextTickAfterPush"/>: the index of the last tick already pushed, held or skipped.</summary>
    private long lastTickUsed;

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

    /// <summary>Ticks that made no push: dropped because one was already held, or held past the stop.</summary>
    public long SkippedTicks { get; private set; }

    /// <summary>A tick came at <paramref name="now"/> (event-driven drivers).</summary>
    public AgentTick OnTick(Instant now)
    {
        if (now >= Stop) return new AgentTick(AgentTickKind.Stopped, Instant.MaxValue);
        var next = now + Interval;
        if (!busy)
        {
            busy = true;
            return new AgentTick(AgentTickKind.Push, next);
        }
        if (!held)
        {
            held = true;
            return new AgentTick(AgentTickKind.Held, next);
        }
        SkippedTicks++;
        return new AgentTick(AgentTickKind.Skip, next);
    }

    /// <summary>
    /// The running push ended at <paramref name="now"/> (event-driven drivers). True when a held tick starts the next
    /// push now.
    /// </summary>
    public bool OnPushDone(Instant now)
    {
        busy = false;
        if (!held) return false;
        held = false;
        if (now >= Stop)
        {
            SkippedTicks++;
            return false;
        }
        busy = true;
        return true;
    }

    /// <summary>
    /// For a driver that pushes at a tick and waits for the push: it ended at <paramref name="now"/>. Returns when the
    /// next push starts: <paramref name="now"/> itself when a tick came meanwhile (the held one; any others are
    /// skipped), else the next tick; null when that would be at or after the stop.
    /// </summary>
    public Instant? NextTickAfterPush(Instant now)
    {
        long lastTickSoFar = now < First ? -1 : Math.Min((now - First).Ticks / Interval.Ticks, lastTickIndex);
        long came = lastTickSoFar - lastTickUsed;
        if (came > 0)
        {
            lastTickUsed = lastTickSoFar;
            bool pushes = now < Stop;
            SkippedTicks += pushes ? came - 1 : came;
            return pushes ? now : null;
        }
        lastTickUsed++; // the tick waited for; its push uses it
        var due = First + TimeSpan.FromTicks(lastTickUsed * Interval.Ticks);
        return due < Stop ? due : null;
    }
}
