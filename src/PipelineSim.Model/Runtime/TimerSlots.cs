using PipelineSim.Kernel;

namespace PipelineSim.Model.Runtime;

/// <summary>
/// Cancellable timers for deadlines that usually do not fire (attempt deadlines: millions of attempts end long
/// before theirs). Two things make them cheap. The kernel never refers to the handler, only to a slot here, so a
/// cancelled timer lets its attempt be collected at once instead of holding the whole push for the rest of the
/// timeout. And timers scheduled in time order wait in FIFO lines that each have a single kernel entry for their
/// first live timer; cancelled ones are dropped from a line in bulk, never dispatched. There are a few lines because
/// deadlines come in a few streams, each in time order but interleaved with the others: an agent's attempt ends at
/// now + remote_timeout, a receiver's forwarded attempt a moment before its client's (the deadline it was sent). A
/// timer goes to the line whose last timer is the latest not after it; one earlier than every line's last gets its
/// own kernel entry.
/// </summary>
internal sealed class TimerSlots : ITimerHandler
{
    private const int MaxLines = 4;

    private readonly Simulation sim;
    private ITimerHandler?[] handlers = new ITimerHandler?[1024];
    private long[] tokens = new long[1024];
    private uint[] generations = new uint[1024];
    private int[] free = new int[1024];
    private int freeCount;
    private int used;
    private readonly Line[] lines = new Line[MaxLines];
    private int lineCount;

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
        if (LineFor(at) is { } line)
        {
            line.Append(at, handle);
            if (line.TimerAt > at) ArmLine(line, at);
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
        if (token < 0)
        {
            OnLineTimer(lines[~token]);
            return;
        }
        Fire(token);
    }

    /// <summary>The line whose last timer is the latest not after <paramref name="at"/>, else an empty or a new one; null when all are taken.</summary>
    private Line? LineFor(long at)
    {
        Line? best = null, empty = null;
        for (int i = 0; i < lineCount; i++)
        {
            var line = lines[i];
            if (line.Count == 0) empty ??= line;
            else if (line.Last <= at && (best is null || line.Last > best.Last)) best = line;
        }
        if (best is not null || empty is not null) return best ?? empty;
        if (lineCount == MaxLines) return null;
        return lines[lineCount] = new Line(lineCount++);
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

    /// <summary>Fires a line's due timers, drops cancelled ones from its front, and re-arms at its first live timer.</summary>
    private void OnLineTimer(Line line)
    {
        long now = sim.Now;
        if (line.TimerAt != now) return; // superseded by an earlier arming
        line.TimerAt = long.MaxValue;
        while (line.Count > 0)
        {
            var (time, handle) = line.First;
            if (IsLive(handle) && time > now)
            {
                ArmLine(line, time);
                return;
            }
            line.DropFirst();
            if (time <= now) Fire(handle); // a handler fired here may add to this line
        }
    }

    private void ArmLine(Line line, long at)
    {
        line.TimerAt = at;
        sim.ScheduleAt(at, this, ~(long)line.Index);
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

    /// <summary>A ring of (time, handle) in non-decreasing time order, with the time its kernel entry is armed for.</summary>
    private sealed class Line(int index)
    {
        private (long Time, long Handle)[] ring = new (long, long)[1024];
        private int head;

        public int Index { get; } = index;

        public int Count { get; private set; }

        public long TimerAt { get; set; } = long.MaxValue;

        public long Last => ring[(head + Count - 1) & (ring.Length - 1)].Time;

        public (long Time, long Handle) First => ring[head];

        public void DropFirst()
        {
            head = (head + 1) & (ring.Length - 1);
            Count--;
        }

        public void Append(long at, long handle)
        {
            if (Count == ring.Length)
            {
                var grown = new (long, long)[ring.Length * 2];
                for (int i = 0; i < Count; i++) grown[i] = ring[(head + i) & (ring.Length - 1)];
                ring = grown;
                head = 0;
            }
            ring[(head + Count) & (ring.Length - 1)] = (at, handle);
            Count++;
        }
    }
}
