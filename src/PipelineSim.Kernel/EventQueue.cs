namespace PipelineSim.Kernel;

/// <summary>One entry of the event queue: at <see cref="Time"/>, call <see cref="Handler"/> with <see cref="Token"/>.</summary>
internal struct ScheduledEntry
{
    public long Time;
    public long Sequence;
    public ITimerHandler Handler;
    public long Token;
}

/// <summary>
/// A 4-ary min-heap of <see cref="ScheduledEntry"/> ordered by time, then by insertion order, so that events at the
/// same instant are processed first-in first-out and every run is deterministic.
/// </summary>
/// <remarks>
/// The simulation loop does not pop an entry before dispatching it: it marks the top as taken
/// (<see cref="TakeTop"/>), and the first entry scheduled while the top is taken replaces it with a single sift-down.
/// A process that yields a timeout therefore costs one sift instead of a pop and a push. A 4-ary heap halves the
/// depth of a binary one, and its four children share a cache line or two.
/// </remarks>
internal sealed class EventQueue
{
    private const int Arity = 4;

    private ScheduledEntry[] entries = new ScheduledEntry[64];
    private int count;
    private long nextSequence;
    private bool topTaken;

    /// <summary>Entries waiting, not counting a taken top.</summary>
    public int Count => topTaken ? count - 1 : count;

    public ref readonly ScheduledEntry Top => ref entries[0];

    public void Schedule(long time, ITimerHandler handler, long token)
    {
        var entry = new ScheduledEntry { Time = time, Sequence = nextSequence++, Handler = handler, Token = token };
        if (topTaken)
        {
            topTaken = false;
            SiftDown(0, entry);
            return;
        }
        if (count == entries.Length) Array.Resize(ref entries, count * 2);
        SiftUp(count++, entry);
    }

    /// <summary>Returns the earliest entry and marks it taken: it leaves the heap at the next schedule or <see cref="ReleaseTop"/>.</summary>
    public ScheduledEntry TakeTop()
    {
        topTaken = true;
        return entries[0];
    }

    /// <summary>Removes a taken top that no schedule replaced.</summary>
    public void ReleaseTop()
    {
        if (!topTaken) return;
        topTaken = false;
        count--;
        var last = entries[count];
        entries[count] = default; // drop the handler reference for the GC
        if (count > 0) SiftDown(0, last);
    }

    private static bool Before(in ScheduledEntry a, in ScheduledEntry b) =>
        a.Time < b.Time || (a.Time == b.Time && a.Sequence < b.Sequence);

    private void SiftUp(int index, in ScheduledEntry entry)
    {
        var heap = entries;
        while (index > 0)
        {
            int parent = (index - 1) / Arity;
            if (!Before(entry, heap[parent])) break;
            heap[index] = heap[parent];
            index = parent;
        }
        heap[index] = entry;
    }

    private void SiftDown(int index, in ScheduledEntry entry)
    {
        var heap = entries;
        int n = count;
        while (true)
        {
            int first = index * Arity + 1;
            if (first >= n) break;
            int best = first;
            int end = Math.Min(first + Arity, n);
            for (int child = first + 1; child < end; child++)
            {
                if (Before(heap[child], heap[best])) best = child;
            }
            if (!Before(heap[best], entry)) break;
            heap[index] = heap[best];
            index = best;
        }
        heap[index] = entry;
    }
}
