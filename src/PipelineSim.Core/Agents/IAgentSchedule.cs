using PipelineSim.Core.Time;

namespace PipelineSim.Core.Agents;

/// <summary>
/// When an agent pushes, for an event-driven driver: it schedules the first tick at <see cref="First"/>, reports each
/// tick (<see cref="OnTick"/>, which says whether to push and when the next tick is due) and each push's end
/// (<see cref="OnPushDone"/>). <see cref="AgentTicker"/> is the Go ticker of a real agent (a closed loop: one push at
/// a time); <see cref="PoissonArrivals"/> the textbook open source (arrivals never wait for a push).
/// </summary>
public interface IAgentSchedule
{
    /// <summary>The first tick (it may be at or after the stop: <see cref="OnTick"/> then answers Stopped).</summary>
    Instant First { get; }

    /// <summary>Ticks that made no push because the previous push still ran (always 0 for an open source).</summary>
    long SkippedTicks { get; }

    AgentTick OnTick(Instant now);

    /// <summary>A push ended at <paramref name="now"/>; true when the schedule starts the next push at once (a tick the
    /// Go ticker held while it ran).</summary>
    bool OnPushDone(Instant now);
}
