using System.Numerics;
using System.Text;

namespace PipelineSim.Spec;

/// <summary>
/// A seeded random stream (xoshiro256**) named after the component that draws from it. Its state is derived from the
/// simulation's seed and the name alone, so streams are independent and stable: adding a component, or drawing more
/// from one stream, never changes another stream's numbers. It derives from <see cref="System.Random"/>, so
/// MathNet.Numerics samplers and Core's backoff accept it, and it gives the same numbers on every platform.
/// </summary>
public sealed class RandomStream : Random
{
    private ulong s0, s1, s2, s3;

    public RandomStream(ulong seed, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        // SplitMix64 expands one 64-bit seed into the four state words, as xoshiro's authors recommend.
        ulong x = seed ^ Fnv1a(name);
        s0 = SplitMix(ref x);
        s1 = SplitMix(ref x);
        s2 = SplitMix(ref x);
        s3 = SplitMix(ref x);
    }

    public string Name { get; }

    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = BitOperations.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public override double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    protected override double Sample() => NextDouble();

    public override float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1U << 24));

    /// <summary>Uniform in [0, int.MaxValue), as <see cref="Random.Next()"/> promises.</summary>
    public override int Next() => (int)Below(int.MaxValue);

    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (int)Below((ulong)maxValue);
    }

    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return (int)(minValue + (long)Below((ulong)((long)maxValue - minValue)));
    }

    /// <summary>Uniform in [0, long.MaxValue), as <see cref="Random.NextInt64()"/> promises.</summary>
    public override long NextInt64() => (long)Below(long.MaxValue);

    public override long NextInt64(long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (long)Below((ulong)maxValue);
    }

    public override long NextInt64(long minValue, long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return minValue + (long)Below((ulong)(maxValue - minValue));
    }

    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());

    public override void NextBytes(Span<byte> buffer)
    {
        while (buffer.Length >= 8)
        {
            BitConverter.TryWriteBytes(buffer, NextUInt64());
            buffer = buffer[8..];
        }
        if (buffer.IsEmpty) return;
        ulong last = NextUInt64();
        for (int i = 0; i < buffer.Length; i++) buffer[i] = (byte)(last >> (8 * i));
    }

    /// <summary>Uniform in [0, bound) without modulo bias (Lemire's multiply-and-reject); 0 for a bound of 0.</summary>
    private ulong Below(ulong bound)
    {
        if (bound == 0) return 0;
        ulong high = Math.BigMul(NextUInt64(), bound, out ulong low);
        if (low < bound)
        {
            ulong threshold = (0 - bound) % bound;
            while (low < threshold) high = Math.BigMul(NextUInt64(), bound, out low);
        }
        return high;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>FNV-1a over the UTF-8 bytes: a stable hash (string.GetHashCode is randomized per process).</summary>
    private static ulong Fnv1a(string text)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 0x100000001B3UL;
        }
        return hash;
    }
}
