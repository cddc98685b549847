using FsCheck.Xunit;
using PipelineSim.Model.Recording;

namespace PipelineSim.Model.Tests;

public class LatencyLogTests
{
    [Property]
    public bool The_nth_value_is_the_one_a_sort_puts_there(long[] values, int seed)
    {
        if (values.Length == 0) return true;
        // Latencies are never negative; spread some beyond 32 bits, where the log keeps them aside.
        var latencies = values.Select((v, i) => i % 3 == 0 ? Math.Abs(v % 100_000) : v == long.MinValue ? 0 : Math.Abs(v)).ToArray();
        var log = new LatencyLog();
        foreach (long latency in latencies) log.Add(latency);
        var sorted = latencies.Order().ToArray();
        int k = Math.Abs(seed % latencies.Length);
        return log.Nth(k) == sorted[k] && log.Max == sorted[^1] && log.Count == latencies.Length;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(LatencyLog.ChunkSize)]
    [InlineData(3 * LatencyLog.ChunkSize + 17)]
    public void Every_rank_is_exact_across_chunk_boundaries(int count)
    {
        var log = new LatencyLog();
        var values = new long[count];
        var random = new Random(count);
        for (int i = 0; i < count; i++)
        {
            // Nearby values share their high 16 bits; a few pass the 32-bit limit (uint.MaxValue itself included).
            values[i] = i % 1_000 == 7 ? uint.MaxValue + (long)random.Next(3) - 1 : 7_000_000 + random.Next(200_000);
            log.Add(values[i]);
        }
        Array.Sort(values);
        foreach (int k in new[] { 0, count / 2, count * 9 / 10, count * 99 / 100, count - 1 })
        {
            Assert.Equal(values[k], log.Nth(k));
        }
        Assert.Equal(values[^1], log.Max);
    }

    [Fact]
    public void Works_on_constant_and_sorted_runs()
    {
        var constant = new LatencyLog();
        for (int i = 0; i < 1_000; i++) constant.Add(7);
        Assert.Equal(7, constant.Nth(500));

        var sorted = new LatencyLog();
        for (int i = 0; i < 10_000; i++) sorted.Add(i * 65_537L);
        Assert.Equal(4_999 * 65_537L, sorted.Nth(4_999));
        Assert.Equal(9_999 * 65_537L, sorted.Max);
    }

    [Fact]
    public void Refuses_ranks_outside_the_log_and_negative_latencies()
    {
        var log = new LatencyLog();
        Assert.Equal(0, log.Max);
        Assert.Throws<ArgumentOutOfRangeException>(() => log.Nth(0));
        log.Add(3);
        Assert.Throws<ArgumentOutOfRangeException>(() => log.Nth(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.Nth(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.Add(-1));
    }
}
