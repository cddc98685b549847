namespace PipelineSim.Model.Recording;

/// <summary>
/// Every push latency of a writer endpoint (non-negative ticks), kept for exact percentiles in 4 bytes each: a
/// latency under 2^32 - 1 ticks (7 min 9 s) is stored as 32 bits in fixed chunks, a longer one (a push retried
/// through a long outage) in a side list of full values. At 100,000 agents for an hour an endpoint finishes 24 M
/// pushes: 96 MB here, where 64-bit values took 192 MB, and a copy to select from took another 192 MB at the end.
/// </summary>
/// <remarks>
/// Percentiles come from <see cref="Nth"/>, a radix select over the chunks as they stand: one counting pass over the
/// high 16 bits finds the bucket holding the k-th smallest value, a second over the low 16 bits of that bucket's
/// values finds the value. Nothing is copied or reordered.
/// </remarks>
internal sealed class LatencyLog
{
    // 64 Ki values (256 KiB) per chunk: few chunks even at tens of millions of values, each on the large object heap,
    // which the collector does not copy; growing never copies what is stored.
    internal const int ChunkShift = 16;
    internal const int ChunkSize = 1 << ChunkShift;
    private const int IndexMask = ChunkSize - 1;
    private const int DigitBits = 16;
    private const int Buckets = 1 << DigitBits;

    /// <summary>Stands in a chunk for a value kept in <see cref="longOnes"/>; larger than every value stored as 32 bits.</summary>
    private const uint Long = uint.MaxValue;

    private readonly List<uint[]> chunks = [];
    private readonly List<long> longOnes = [];

    public int Count { get; private set; }

    public long Max { get; private set; }

    public void Add(long ticks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ticks);
        int index = Count & IndexMask;
        if (index == 0) chunks.Add(new uint[ChunkSize]);
        if (ticks >= Long)
        {
            chunks[^1][index] = Long;
            longOnes.Add(ticks);
        }
        else chunks[^1][index] = (uint)ticks;
        Count++;
        if (ticks > Max) Max = ticks;
    }

    /// <summary>The <paramref name="k"/>-th smallest value (0-based), exactly.</summary>
    public long Nth(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, Count);
        int shortOnes = Count - longOnes.Count;
        if (k >= shortOnes)
        {
            // Among the long ones, which sort after every short one: rare, so sorting a copy of them is cheap.
            var sorted = longOnes.ToArray();
            Array.Sort(sorted);
            return sorted[k - shortOnes];
        }

        // The high digit of the k-th smallest: the first bucket whose running count passes k.
        var counts = new int[Buckets];
        for (int c = 0; c < chunks.Count; c++)
        {
            foreach (uint value in Filled(c)) counts[value >> DigitBits]++;
        }
        uint high = BucketOf(counts, ref k);

        // Its low digit, among the values sharing that high digit.
        Array.Clear(counts);
        for (int c = 0; c < chunks.Count; c++)
        {
            foreach (uint value in Filled(c))
            {
                if (value >> DigitBits == high) counts[value & (Buckets - 1)]++;
            }
        }
        uint low = BucketOf(counts, ref k);
        return (high << DigitBits) | low;
    }

    /// <summary>The bucket holding the k-th counted value; <paramref name="k"/> becomes its rank inside the bucket.</summary>
    private static uint BucketOf(int[] counts, ref int k)
    {
        for (int bucket = 0; ; bucket++)
        {
            if (k < counts[bucket]) return (uint)bucket;
            k -= counts[bucket];
        }
    }

    /// <summary>The filled part of chunk <paramref name="chunk"/>.</summary>
    private ReadOnlySpan<uint> Filled(int chunk) =>
        chunks[chunk].AsSpan(0, Math.Min(ChunkSize, Count - (chunk << ChunkShift)));
}
