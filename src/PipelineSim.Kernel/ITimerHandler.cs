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
}
