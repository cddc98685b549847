using PipelineSim.Kernel;

namespace PipelineSim.Model.Runtime;

/// <summary>
/// Cancellable timers for deadlines that usually do not fire (attempt deadlines: millions of attempts end long
/// before theirs). Two things make them cheap. The kernel never refers to the handler, only to a slot here, so a
/// cancelled timer lets its attempt be collected at once instead of holding the whole push for the rest of the
/// timeout. And timers scheduled in time order (the common case: now + remote_timeout) wait in a FIFO line that has
/// a single kernel entry for its first live timer; cancelled ones are dropped from the line in bulk, never
/// dispatched. A timer earlier than the line's last one gets its own kernel entry.
/// </summary>
internal sealed class TimerSlots : ITimerHandler
{
    private const long LineToken = -1;

    private readonly Simulation sim;
    private ITimerHandler?[] handlers = new ITimerHandler?[1024];
    private long[] tokens = new long[1024];
    private uint[] generations = new uint[1024];
    private int[] free = new int[1024];
    private int freeCount;
    private int used;

    // The line: a ring of (time, handle) in non-decreasing time order.
    private (long Time, long Handle)[] line = new (long, long)[1024];
    private int lineHead, lineCount;
    private long lineTimerAt = long.MaxValue;

    public TimerSlots(Simulation sim)
    {
        this.sim = sim;
    }

    /// <summary>Calls <paramref name="handler"/> with <paramref name="token"/> at <paramref name="at"/> unless cancelled; returns the handle.</summary>
    public long Schedule(long at, ITimerHandler handler, long token)
    {
        int slot = freeCount > 0 ? free[--freeCount] : NewSlot();
        uint generation = ++generations[slot];
        handlers[slot] = handler;
        tokens[slot] = token;
        long handle = ((long)generation << 32) | (uint)slot;
        if (lineCount == 0 || at >= line[(lineHead + lineCount - 1) & (line.Length - 1)].Time)
        {
            Append(at, handle);
            if (lineTimerAt > at) ArmLine(at);
        }
        else
        {
            sim.ScheduleAt(at, this, handle);
        }
        return handle;
    }

    /// <summary>Forgets a timer that has not fired; a handle that already fired or was cancelled is ignored.</summary>
    public void Cancel(long handle)
    {
        int slot = (int)(uint)handle;
        if (generations[slot] != (uint)(handle >> 32) || handlers[slot] is null) return;
        Release(slot);
    }

    public void OnTimer(long token)
    {
        if (token == LineToken)
        {
            OnLineTimer();
            return;
        }
        Fire(token);
    }

    private void Fire(long handle)
    {
        int slot = (int)(uint)handle;
        if (generations[slot] != (uint)(handle >> 32)) return;
        var handler = handlers[slot];
        if (handler is null) return;
        long token = tokens[slot];
        Release(slot);
        handler.OnTimer(token);
    }

    private bool IsLive(long handle)
    {
        int slot = (int)(uint)handle;
        return generations[slot] == (uint)(handle >> 32) && handlers[slot] is not null;
    }

    /// <summary>Fires the line's due timers, drops cancelled ones from its front, and re-arms at its first live timer.</summary>
    private void OnLineTimer()
    {
        long now = sim.Now;
        if (lineTimerAt != now) return; // superseded by an earlier arming
        lineTimerAt = long.MaxValue;
        while (lineCount > 0)
        {
            int mask = line.Length - 1; // a handler fired below may grow the line
            var (time, handle) = line[lineHead];
            if (IsLive(handle) && time > now)
            {
                ArmLine(time);
                return;
            }
            lineHead = (lineHead + 1) & mask;
            lineCount--;
            if (time <= now) Fire(handle);
        }
    }

    private void ArmLine(long at)
    {
        lineTimerAt = at;
        sim.ScheduleAt(at, this, LineToken);
    }

    private void Append(long at, long handle)
    {
        if (lineCount == line.Length)
        {
            var grown = new (long, long)[line.Length * 2];
            for (int i = 0; i < lineCount; i++) grown[i] = line[(lineHead + i) & (line.Length - 1)];
            line = grown;
            lineHead = 0;
        }
        line[(lineHead + lineCount) & (line.Length - 1)] = (at, handle);
        lineCount++;
    }

    private void Release(int slot)
    {
        handlers[slot] = null;
        generations[slot]++; // any queue entry or line entry for it is now stale
        free[freeCount++] = slot;
    }

    private int NewSlot()
    {
        if (used == handlers.Length)
        {
            int size = used * 2;
            Array.Resize(ref handlers, size);
            Array.Resize(ref tokens, size);
            Array.Resize(ref generations, size);
            Array.Resize(ref free, size);
        }
        return used++;
    }
}
