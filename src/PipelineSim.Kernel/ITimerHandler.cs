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
    /// Called before <see cref="OnTimer"/> with the same token, while the entries before it run, once for each
    /// <paramref name="depth"/> from 0 up to the simulation's <see cref="Simulation.PrefetchDepths"/> - 1, an entry apart: a handler
    /// that will first read objects scattered over a large heap asks the CPU to start loading those
    /// <paramref name="depth"/> + 1 references away from it (<see cref="CacheHint"/>), reading the nearer ones, which
    /// the earlier calls loaded. Only a hint: it must change nothing, may find its state stale, and the entry may not
    /// come when expected.
    /// </summary>
    void Prefetch(long token, int depth) { }
}
