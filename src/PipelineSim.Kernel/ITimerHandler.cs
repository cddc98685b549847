namespace PipelineSim.Kernel;

/// <summary>
/// Something the simulation calls back at a scheduled time (<see cref="Simulation.ScheduleAt"/>). This is the
/// allocation-free path for component state machines: the handler is an existing object and the token tells it what
/// the timer was for. Timers cannot be cancelled; a handler ignores tokens it no longer expects (keep a generation
/// counter and compare), which is cheaper than removing entries from the heap.
/// </summary>
public interface ITimerHandler
{
    void OnTimer(long token);

    /// <summary>
    /// Called before <see cref="OnTimer"/> with the same token, while entries before it run, so that a handler that
    /// will first read objects scattered over a large heap can ask the CPU to start loading them
    /// (<see cref="CacheHint"/>): at <see cref="PrefetchStage.Early"/> the objects it holds, at
    /// <see cref="PrefetchStage.Late"/> the objects those hold (loaded by then). Only a hint: it must change nothing,
    /// may find its state stale, and the entry may not be next after all.
    /// </summary>
    void Prefetch(long token, PrefetchStage stage) { }
}

/// <summary>How far ahead of its entry a <see cref="ITimerHandler.Prefetch"/> call comes.</summary>
public enum PrefetchStage
{
    /// <summary>Two entries ahead: the handler itself has just been loaded.</summary>
    Early,

    /// <summary>One entry ahead: what the handler asked for at <see cref="Early"/> has been loaded.</summary>
    Late,
}
