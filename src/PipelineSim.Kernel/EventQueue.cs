using System.Numerics;
using System.Runtime.CompilerServices;

namespace PipelineSim.Kernel;

/// <summary>One entry of the event queue: at <see cref="Time"/>, call <see cref="Handler"/> with <see cref="Token"/>.</summary>
internal struct ScheduledEntry
{
    public long Time;
    public ITimerHandler Handler;
    public long Token;
}

/// <summary>
/// The event queue: entries come out in time order and, at equal times, in the order they were scheduled, so every
/// run is deterministic.
/// </summary>
/// <remarks>
/// <para>A radix heap (Ahuja, Mehlhorn, Orlin and Tarjan) rather than a binary or 4-ary heap, because simulated time
/// never goes backwards: nothing is ever scheduled before the last entry taken. Bucket i holds the entries whose time
/// first differs from that last time in bit i-1 (bucket 0: equal to it), so scheduling is one XOR, one leading-zero
/// count and an append. Taking is free while bucket 0 has entries; otherwise the lowest non-empty bucket is scanned
/// for its earliest time, which becomes the new last time, and its entries are spread over the lower buckets. An entry
/// moves down at most once per bit of its distance from now. Appends and the in-order spreading keep entries of equal
/// time in scheduling order, so the FIFO tie-break needs no sequence number.</para>
/// <para>Buckets are chains of fixed-size chunks from one shared pool, recycled as buckets empty, so the queue stops
/// allocating once the pool covers the largest number of pending entries: a process looping on timeouts allocates
/// nothing in steady state.</para>
/// </remarks>
internal sealed class EventQueue
{
    private const int BucketCount = 64; // times are non-negative longs: bit 63 never differs
    private const int ChunkShift = 6;
    private const int ChunkSize = 1 << ChunkShift;
    private const int NoChunk = -1;

    // The chunk pool: chunk c is entries[c*ChunkSize ..], next[c] links it in its bucket's chain or the free list.
    private ScheduledEntry[] entries = new ScheduledEntry[16 * ChunkSize];
    private int[] next = new int[16];
    private int chunksInPool;
    private int freeChunk = NoChunk;

    /// <summary>A bucket's chain of chunks; <see cref="Fill"/> counts the entries in its tail chunk.</summary>
    private struct Chain
    {
        public int Head, Tail, Fill;
    }

    private readonly Chain[] buckets = new Chain[BucketCount];
    private int firstRead; // entries of bucket 0's head chunk already taken
    private ulong nonEmpty; // bit i set when bucket i has entries
    private long lastTime;

    public EventQueue()
    {
        foreach (ref var chain in buckets.AsSpan()) chain.Head = NoChunk;
    }

    public int Count { get; private set; }

    /// <param name="time">Not before the last entry taken; the simulation guarantees it by refusing times before now.</param>
    public void Schedule(long time, ITimerHandler handler, long token)
    {
        Append(BucketOf(time), new ScheduledEntry { Time = time, Handler = handler, Token = token });
        Count++;
    }

    /// <summary>Takes the earliest entry if it is due before <paramref name="before"/>; otherwise leaves the queue as it is.</summary>
    public bool TryTake(long before, out ScheduledEntry entry)
    {
        if ((nonEmpty & 1) == 0 && !Refill(before))
        {
            entry = default;
            return false;
        }
        ref var first = ref buckets[0];
        int chunk = first.Head;
        ref var slot = ref entries[(chunk << ChunkShift) + firstRead];
        if (slot.Time >= before)
        {
            entry = default;
            return false;
        }
        entry = slot;
        slot = default; // drop the handler reference for the GC
        firstRead++;
        bool chunkDone = firstRead == ChunkSize || (chunk == first.Tail && firstRead == first.Fill);
        if (chunkDone)
        {
            firstRead = 0;
            int following = next[chunk];
            FreeChunk(chunk);
            first.Head = following;
            if (following == NoChunk) nonEmpty &= ~1UL;
        }
        Count--;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int BucketOf(long time) => BucketCount - BitOperations.LeadingZeroCount((ulong)(time ^ lastTime));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Append(int bucket, in ScheduledEntry entry)
    {
        ref var chain = ref buckets[bucket];
        if (chain.Head == NoChunk)
        {
            chain.Head = chain.Tail = TakeChunk();
            chain.Fill = 0;
            nonEmpty |= 1UL << bucket;
        }
        else if (chain.Fill == ChunkSize)
        {
            int fresh = TakeChunk();
            next[chain.Tail] = fresh;
            chain.Tail = fresh;
            chain.Fill = 0;
        }
        entries[(chain.Tail << ChunkShift) + chain.Fill++] = entry;
    }

    /// <summary>
    /// Moves the entries of the lowest non-empty bucket down, around its earliest time, so bucket 0 is filled. Does
    /// nothing (and returns false) when the queue is empty or that time is not before <paramref name="before"/>, so
    /// the last time never passes a time the clock may still be set back to.
    /// </summary>
    private bool Refill(long before)
    {
        if (nonEmpty == 0) return false;
        int bucket = BitOperations.TrailingZeroCount(nonEmpty);
        var (head, tail, lastFill) = (buckets[bucket].Head, buckets[bucket].Tail, buckets[bucket].Fill);

        long earliest = long.MaxValue;
        for (int chunk = head; chunk != NoChunk; chunk = next[chunk])
        {
            int start = chunk << ChunkShift, end = start + (chunk == tail ? lastFill : ChunkSize);
            for (int i = start; i < end; i++) earliest = Math.Min(earliest, entries[i].Time);
        }
        if (earliest >= before) return false;

        lastTime = earliest;
        buckets[bucket].Head = NoChunk;
        nonEmpty &= ~(1UL << bucket);
        // Every bucket below this one is empty, so the entries land in order in fresh chains.
        for (int chunk = head; chunk != NoChunk;)
        {
            int start = chunk << ChunkShift, end = start + (chunk == tail ? lastFill : ChunkSize);
            for (int i = start; i < end; i++)
            {
                Append(BucketOf(entries[i].Time), entries[i]);
                entries[i] = default;
            }
            int following = next[chunk];
            FreeChunk(chunk); // only after its entries moved: Append may take chunks from the free list
            chunk = following;
        }
        return true;
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
            Array.Resize(ref entries, size << ChunkShift);
        }
        for (int c = size - 1; c >= old; c--) FreeChunk(c);
        chunksInPool = size;
    }
}
