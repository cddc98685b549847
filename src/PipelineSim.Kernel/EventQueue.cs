using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace PipelineSim.Kernel;

/// <summary>One entry of the event queue as it comes out: at <see cref="Time"/>, call <see cref="Handler"/> with <see cref="Token"/>.</summary>
internal readonly record struct ScheduledEntry(long Time, ITimerHandler Handler, long Token);

/// <summary>
/// The event queue: entries come out in time order and, at equal times, in the order they were scheduled, so every
/// run is deterministic.
/// </summary>
/// <remarks>
/// <para>A radix heap in base 64, laid out as a hierarchical timing wheel, because simulated time never goes
/// backwards: nothing is ever scheduled before the last entry taken. A time is read as base-64 digits; an entry is
/// filed under the highest digit in which it differs from that last time (its level) and under its own value of that
/// digit (its slot). So every entry of a level-0 slot has one and the same time, and the lowest occupied slot of the
/// lowest occupied level holds the earliest entries. Taking from level 0 needs no search; when level 0 is empty, the
/// earliest time of the lowest occupied slot above (kept as the slot fills) becomes the new last time, and the slot's
/// entries are spread over the levels below, unless it holds just that one. An entry moves down at most once per
/// level: 2.6 times on average for 10,000 timeouts spread evenly over 20,000 s. Appends and in-order spreading keep
/// entries of equal time in scheduling order, so the FIFO tie-break needs no sequence number.</para>
/// <para>Slots are chains of fixed-size chunks from one shared pool, recycled as slots empty. A stored entry holds its
/// handler itself, so taking it reads the handler from the chunk being read. (A table of handlers by index would
/// spare the GC write barrier when entries move, but once the queue holds hundreds of thousands of entries each take
/// missed the cache on that table: 3 % of a 100,000-agent run.) The pool stops growing once it covers the largest
/// number of pending entries: a process looping on timeouts allocates nothing in steady state.</para>
/// </remarks>
internal sealed class EventQueue
{
    private const int DigitBits = 6;
    private const int SlotsPerLevel = 1 << DigitBits;
    private const int LowDigitMask = SlotsPerLevel - 1;
    private const int Levels = (63 + DigitBits - 1) / DigitBits; // times are non-negative longs: 63 bits
    private const int ChunkShift = 6;
    private const int ChunkSize = 1 << ChunkShift;
    private const int NoChunk = -1;
    private const int HandlerBytes = 128;

    /// <summary>What a chunk stores for one entry.</summary>
    private struct Stored
    {
        public long Time;
        public long Token;
        public ITimerHandler? Handler;
    }

    // The chunk pool: chunk c is stored[c*ChunkSize ..], next[c] links it in its slot's chain or in the free list.
    private Stored[] stored = new Stored[16 * ChunkSize];
    private int[] next = new int[16];
    private int chunksInPool;
    private int freeChunk = NoChunk;

    /// <summary>A slot's chain of chunks; <see cref="Fill"/> counts the entries in its tail chunk, <see cref="Earliest"/>
    /// is the earliest time in the chain, kept as entries arrive so spreading a slot needs no search.</summary>
    private struct Chain
    {
        public int Head, Tail, Fill;
        public long Earliest;
    }

    private readonly Chain[] chains = new Chain[Levels * SlotsPerLevel]; // level l, slot s: chains[l * 64 + s]
    private readonly ulong[] occupiedSlots = new ulong[Levels]; // bit s of [l] set when that slot has entries
    private int occupiedLevels; // bit l set when level l has entries
    private int firstRead; // entries already taken from the head chunk of the slot being read (0 while level 0 is empty)
    private long lastTime;

    private readonly int prefetchDepths;

    /// <param name="prefetchDepths">See <see cref="Simulation(int)"/>; 0 prefetches only the next handler's own lines.</param>
    public EventQueue(int prefetchDepths = 0)
    {
        this.prefetchDepths = prefetchDepths;
        foreach (ref var chain in chains.AsSpan()) chain.Head = NoChunk;
    }

    public int Count { get; private set; }

    /// <param name="time">Not before the last entry taken; the simulation guarantees it by refusing times before now.</param>
    public void Schedule(long time, ITimerHandler handler, long token)
    {
        Append(ChainOf(time), new Stored { Time = time, Token = token, Handler = handler });
        Count++;
    }

    /// <summary>Takes the earliest entry if it is due before <paramref name="before"/>; otherwise leaves the queue as it is.</summary>
    public bool TryTake(long before, out ScheduledEntry entry)
    {
        int level = 0, slot;
        if (occupiedSlots[0] != 0)
        {
            slot = BitOperations.TrailingZeroCount(occupiedSlots[0]);
            long time = (lastTime & ~(long)LowDigitMask) | (long)slot;
            if (time >= before)
            {
                entry = default;
                return false;
            }
            lastTime = time;
        }
        else
        {
            // The lowest occupied slot above holds the earliest entries. Its earliest time becomes the last time (only
            // when it is due, so the last time never passes a time the clock may still be set back to). A slot with
            // one entry, common when entries are spread thin, is taken where it stands; otherwise its entries are
            // spread over the levels below, the earliest landing in level 0.
            if (occupiedLevels == 0)
            {
                entry = default;
                return false;
            }
            level = BitOperations.TrailingZeroCount(occupiedLevels);
            slot = BitOperations.TrailingZeroCount(occupiedSlots[level]);
            ref readonly var lowest = ref chains[(level << DigitBits) | slot];
            if (lowest.Earliest >= before)
            {
                entry = default;
                return false;
            }
            lastTime = lowest.Earliest;
            if (lowest.Head != lowest.Tail || lowest.Fill > 1)
            {
                SpreadDown(level, slot);
                level = 0;
                slot = (int)(lastTime & LowDigitMask);
            }
        }
        entry = TakeHead(level, slot);
        Count--;
        if (prefetchDepths == 0) PrefetchNextHandler();
        else PrefetchAhead();
        return true;
    }

    /// <summary>
    /// Works ahead of the dispatch loop on the entries most likely to come next: the handler of the one
    /// <see cref="prefetchDepths"/> + 1 ahead is loaded, and each nearer one's handler prefetches one
    /// reference deeper (<see cref="ITimerHandler.Prefetch"/>). At 100,000 agents nearly every
    /// handler (an exchange, an agent) and everything it reads first (its flow, its push, the agent's transport) is
    /// a cold object, and each dependent load stalled the loop in turn. Only hints: the guess may be wrong (the entry
    /// just taken may schedule an earlier one; the first entry of a slot above level 0 need not be its earliest), and
    /// a stale address is harmless to a prefetch.
    /// </summary>
    private unsafe void PrefetchAhead()
    {
        if (!Sse.IsSupported) return;
        Span<int> upcoming = stackalloc int[Simulation.MaxPrefetchDepths + 1];
        upcoming = upcoming[..(prefetchDepths + 1)];
        int found = FindUpcoming(upcoming);
        if (found == upcoming.Length)
        {
            // Handlers span two cache lines or more; the fields they read first may be in any of them.
            CacheHint.Prefetch((byte*)Unsafe.As<ITimerHandler?, nint>(ref stored[upcoming[^1]].Handler), HandlerBytes);
            found--;
        }
        // The farthest entry (loaded the step before) asks for what it holds; the nearest for what lies deepest.
        for (int ahead = found - 1; ahead >= 0; ahead--)
        {
            ref var entry = ref stored[upcoming[ahead]];
            entry.Handler!.Prefetch(entry.Token, prefetchDepths - 1 - ahead);
        }
    }

    /// <summary>Without depths, only the next entry's handler is loaded: the lowest occupied slot's first unread entry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe void PrefetchNextHandler()
    {
        if (!Sse.IsSupported) return;
        int chainIndex;
        if (occupiedSlots[0] != 0) chainIndex = BitOperations.TrailingZeroCount(occupiedSlots[0]);
        else if (occupiedLevels != 0)
        {
            int level = BitOperations.TrailingZeroCount(occupiedLevels);
            chainIndex = (level << DigitBits) | BitOperations.TrailingZeroCount(occupiedSlots[level]);
        }
        else return;
        // Level 0 is read from firstRead on; a slot above is read from its start, and firstRead is 0 then.
        // The two lines from the handler's address, not every line HandlerBytes spans: the kernel benchmark's tight
        // loops measured slower with the third.
        byte* handler = (byte*)Unsafe.As<ITimerHandler?, nint>(ref stored[(chains[chainIndex].Head << ChunkShift) + firstRead].Handler);
        Sse.Prefetch0(handler);
        Sse.Prefetch0(handler + 64);
    }

    /// <summary>
    /// Where the next entries are stored, in the order they will most likely be taken: the slot being read from its
    /// next entry on, then the occupied slots after it, level by level.
    /// </summary>
    private int FindUpcoming(Span<int> positions)
    {
        int found = 0;
        int levels = occupiedLevels;
        int skip = firstRead; // entries already taken from the first slot (0 unless it is in level 0)
        while (levels != 0)
        {
            int level = BitOperations.TrailingZeroCount(levels);
            levels &= levels - 1;
            ulong slots = occupiedSlots[level];
            while (slots != 0)
            {
                ref var chain = ref chains[(level << DigitBits) | BitOperations.TrailingZeroCount(slots)];
                slots &= slots - 1;
                for (int chunk = chain.Head, i = skip; ;)
                {
                    int end = chunk == chain.Tail ? chain.Fill : ChunkSize;
                    for (; i < end; i++)
                    {
                        positions[found++] = (chunk << ChunkShift) + i;
                        if (found == positions.Length) return found;
                    }
                    if (chunk == chain.Tail) break;
                    chunk = next[chunk];
                    i = 0;
                }
                skip = 0;
            }
        }
        return found;
    }

    /// <summary>Takes the first entry of a slot, whose time is the last time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ScheduledEntry TakeHead(int level, int slot)
    {
        ref var chain = ref chains[(level << DigitBits) | slot];
        int chunk = chain.Head;
        ref var taken = ref stored[(chunk << ChunkShift) + firstRead];
        var entry = new ScheduledEntry(lastTime, taken.Handler!, taken.Token);
        taken.Handler = null; // let the GC have it once nothing else holds it
        firstRead++;
        if (firstRead == ChunkSize || (chunk == chain.Tail && firstRead == chain.Fill))
        {
            firstRead = 0;
            int following = next[chunk];
            FreeChunk(chunk);
            chain.Head = following;
            if (following == NoChunk) MarkEmpty(level, slot);
        }
        return entry;
    }

    /// <summary>The chain of the level and slot <paramref name="time"/> belongs to, given the last time taken.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ChainOf(long time)
    {
        int highestDifferingBit = BitOperations.Log2((ulong)(time ^ lastTime) | 1); // equal times: level 0
        int level = highestDifferingBit / DigitBits;
        return (level << DigitBits) | (int)((time >> (level * DigitBits)) & LowDigitMask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Append(int chainIndex, in Stored entry)
    {
        ref var chain = ref chains[chainIndex];
        if (chain.Head == NoChunk)
        {
            chain.Head = chain.Tail = TakeChunk();
            chain.Fill = 0;
            chain.Earliest = entry.Time;
            int level = chainIndex >> DigitBits;
            occupiedSlots[level] |= 1UL << (chainIndex & LowDigitMask);
            occupiedLevels |= 1 << level;
        }
        else if (chain.Fill == ChunkSize)
        {
            int fresh = TakeChunk();
            next[chain.Tail] = fresh;
            chain.Tail = fresh;
            chain.Fill = 0;
        }
        if (entry.Time < chain.Earliest) chain.Earliest = entry.Time;
        stored[(chain.Tail << ChunkShift) + chain.Fill++] = entry;
    }

    private void MarkEmpty(int level, int slot)
    {
        occupiedSlots[level] &= ~(1UL << slot);
        if (occupiedSlots[level] == 0) occupiedLevels &= ~(1 << level);
    }

    /// <summary>
    /// Empties a slot into the levels below it, its entries filed against the last time, which is its earliest.
    /// The entries share every digit above the slot's level with the last time, so they all land below it, where every
    /// slot is empty: appended in order, they keep their order.
    /// </summary>
    private void SpreadDown(int level, int slot)
    {
        ref var source = ref chains[(level << DigitBits) | slot];
        var (head, tail, lastFill) = (source.Head, source.Tail, source.Fill);
        source.Head = NoChunk;
        MarkEmpty(level, slot);
        for (int chunk = head; chunk != NoChunk;)
        {
            int start = chunk << ChunkShift, end = start + (chunk == tail ? lastFill : ChunkSize);
            for (int i = start; i < end; i++)
            {
                Append(ChainOf(stored[i].Time), stored[i]);
                stored[i].Handler = null;
            }
            int following = next[chunk];
            FreeChunk(chunk); // only after its entries moved: Append may take chunks from the free list
            chunk = following;
        }
    }

    private int TakeChunk()
    {
        if (freeChunk == NoChunk) GrowPool();
        int chunk = freeChunk;
        freeChunk = next[chunk];
        next[chunk] = NoChunk;
        return chunk;
    }

    private void FreeChunk(int chunk)
    {
        next[chunk] = freeChunk;
        freeChunk = chunk;
    }

    /// <summary>Doubles the pool; the new chunks go on the free list.</summary>
    private void GrowPool()
    {
        int old = chunksInPool == 0 ? 0 : next.Length;
        int size = chunksInPool == 0 ? next.Length : next.Length * 2;
        if (size > next.Length)
        {
            Array.Resize(ref next, size);
            Array.Resize(ref stored, size << ChunkShift);
        }
        for (int c = size - 1; c >= old; c--) FreeChunk(c);
        chunksInPool = size;
    }
}
