using FsCheck.Xunit;
using PipelineSim.Core.Pooling;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Tests.Pooling;

public class IdleConnectionPoolTests
{
    private static Instant At(double seconds) => Instant.FromSeconds(seconds);

    private static IdleConnectionPool<string> Pool(int maxIdle = 1000, double idleTimeoutSeconds = 300) =>
        new(maxIdle, TimeSpan.FromSeconds(idleTimeoutSeconds));

    [Fact]
    public void Takes_the_most_recently_returned_first()
    {
        var pool = Pool();
        pool.Return("a", At(0));
        pool.Return("b", At(1));
        pool.Return("c", At(2));
        var taken = new List<(string, TimeSpan)>();
        while (pool.TryTake(At(10), out var conn, out var idleFor)) taken.Add((conn, idleFor));
        Assert.Equal([("c", TimeSpan.FromSeconds(8)), ("b", TimeSpan.FromSeconds(9)), ("a", TimeSpan.FromSeconds(10))], taken);
        Assert.Equal(0, pool.Count);
    }

    [Fact]
    public void An_empty_pool_gives_nothing()
    {
        Assert.False(Pool().TryTake(At(0), out var conn, out var idleFor));
        Assert.Null(conn);
        Assert.Equal(TimeSpan.Zero, idleFor);
    }

    [Fact]
    public void A_full_pool_refuses_the_returned_connection()
    {
        var pool = Pool(maxIdle: 2);
        Assert.True(pool.Return("a", At(0)));
        Assert.True(pool.Return("b", At(0)));
        Assert.False(pool.Return("c", At(0)));
        Assert.Equal(2, pool.Count);
        Assert.True(pool.TryTake(At(1), out var conn, out _));
        Assert.Equal("b", conn);
    }

    [Theory]
    [InlineData(0, IdleConnectionPool<string>.GoDefaultMaxIdlePerHost)]
    [InlineData(-1, 0)]
    [InlineData(1000, 1000)]
    public void Reads_max_idle_per_host_like_go(int configured, int effective) =>
        Assert.Equal(effective, Pool(maxIdle: configured).MaxIdle);

    [Fact]
    public void Evicts_connections_that_reached_the_idle_timeout()
    {
        var pool = Pool(idleTimeoutSeconds: 90);
        pool.Return("a", At(0));
        pool.Return("b", At(50));
        Assert.Equal(At(90), pool.NextExpiry);
        var evicted = new List<string>();
        Assert.Equal(0, pool.EvictExpired(At(89.9), evicted));
        Assert.Equal(1, pool.EvictExpired(At(90), evicted));
        Assert.Equal(["a"], evicted);
        Assert.Equal(At(140), pool.NextExpiry);
    }

    [Fact]
    public void Take_skips_and_reports_expired_connections()
    {
        var pool = Pool(idleTimeoutSeconds: 90);
        pool.Return("a", At(0));
        pool.Return("b", At(80));
        var expired = new List<string>();
        Assert.True(pool.TryTake(At(95), out var conn, out var idleFor, expired));
        Assert.Equal(("b", TimeSpan.FromSeconds(15)), (conn, idleFor));
        Assert.Equal(["a"], expired);

        pool.Return("c", At(150));
        Assert.False(pool.TryTake(At(240), out _, out _, expired));
        Assert.Equal(["a", "c"], expired);
        Assert.Null(pool.NextExpiry);
    }

    [Fact]
    public void Return_counts_only_live_connections_against_the_limit()
    {
        var pool = Pool(maxIdle: 1, idleTimeoutSeconds: 10);
        pool.Return("a", At(0));
        var expired = new List<string>();
        Assert.True(pool.Return("b", At(10), expired)); // a's idle timer fired at 10 s
        Assert.Equal(["a"], expired);
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void A_zero_idle_timeout_never_expires()
    {
        var pool = Pool(idleTimeoutSeconds: 0);
        pool.Return("a", At(0));
        Assert.Null(pool.IdleTimeout);
        Assert.Null(pool.NextExpiry);
        Assert.True(pool.TryTake(At(1e6), out _, out _));
    }

    [Fact]
    public void A_connection_the_peer_closed_leaves_the_pool()
    {
        var pool = Pool();
        pool.Return("a", At(0));
        pool.Return("b", At(1));
        pool.Return("c", At(2));
        Assert.True(pool.Remove("b"));
        Assert.False(pool.Remove("b"));
        Assert.True(pool.TryTake(At(3), out var first, out _));
        Assert.True(pool.TryTake(At(3), out var second, out _));
        Assert.Equal(("c", "a"), (first, second));
    }

    [Fact]
    public void Misuse_is_refused()
    {
        var pool = Pool();
        pool.Return("a", At(5));
        Assert.Throws<InvalidOperationException>(() => pool.Return("a", At(6)));
        Assert.Throws<ArgumentException>(() => pool.Return("b", At(4)));
    }

    /// <summary>Random returns, takes and peer closes against a naive model of Go's pool.</summary>
    [Property(MaxTest = 300)]
    public bool Matches_a_naive_model(byte[] operations, byte maxIdleSeed)
    {
        int maxIdle = maxIdleSeed % 5 + 1;
        var timeout = TimeSpan.FromSeconds(10);
        var pool = new IdleConnectionPool<int>(maxIdle, timeout);
        var model = new List<(int Conn, Instant Since)>();
        var inUse = new List<int>();
        var now = Instant.Zero;
        int nextConn = 0;
        foreach (byte op in operations)
        {
            now += TimeSpan.FromSeconds(op % 7);
            model.RemoveAll(e => now - e.Since >= timeout);
            switch (op % 3)
            {
                case 0: // a request needs a connection: reuse or dial
                    var fresh = model.LastOrDefault();
                    bool took = pool.TryTake(now, out int conn, out var idleFor);
                    if (took != model.Count > 0) return false;
                    if (took && (conn != fresh.Conn || idleFor != now - fresh.Since)) return false;
                    if (took) model.RemoveAt(model.Count - 1);
                    inUse.Add(took ? conn : nextConn++);
                    break;
                case 1 when inUse.Count > 0: // a request finished
                    int done = inUse[^1];
                    inUse.RemoveAt(inUse.Count - 1);
                    bool kept = pool.Return(done, now);
                    if (kept != model.Count < maxIdle) return false;
                    if (kept) model.Add((done, now));
                    break;
                case 2 when model.Count > 0: // the peer closed the oldest idle one
                    if (!pool.Remove(model[0].Conn)) return false;
                    model.RemoveAt(0);
                    break;
            }
            pool.EvictExpired(now, []);
            if (pool.Count != model.Count || pool.Count > maxIdle) return false;
        }
        return true;
    }

    [Fact]
    public void A_large_pool_keeps_LIFO_order_removal_expiry_and_the_double_return_check()
    {
        var pool = Pool(idleTimeoutSeconds: 100);
        for (int i = 0; i < 40; i++) Assert.True(pool.Return($"c{i}", At(i)));
        Assert.Throws<InvalidOperationException>(() => pool.Return("c7", At(40)));
        Assert.True(pool.Remove("c20"));
        Assert.False(pool.Remove("c20"));
        var expired = new List<string>();
        Assert.Equal(5, pool.EvictExpired(At(104), expired)); // c0..c4 were returned at 0..4 s
        Assert.Equal(["c0", "c1", "c2", "c3", "c4"], expired);
        Assert.True(pool.TryTake(At(104), out var newest, out var idleFor));
        Assert.Equal(("c39", TimeSpan.FromSeconds(65)), (newest, idleFor));
        var rest = new List<string>();
        while (pool.TryTake(At(104), out var conn, out _)) rest.Add(conn);
        Assert.Equal(Enumerable.Range(5, 34).Where(i => i != 20).Reverse().Select(i => $"c{i}"), rest);
        Assert.True(pool.Return("c7", At(105))); // gone from the pool, so it may come back
    }
}
