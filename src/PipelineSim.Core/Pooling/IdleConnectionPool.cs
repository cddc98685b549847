using System.Diagnostics.CodeAnalysis;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Pooling;

/// <summary>
/// The idle-connection pool Go's <c>http.Transport</c> keeps for one host (alloy-facts §4.2): a returned connection
/// goes on top and the most recently used one is taken first (LIFO); a connection idle for
/// <see cref="IdleTimeout"/> is closed; a connection returned to a full pool is closed instead of kept.
/// </summary>
/// <remarks>
/// The pool decides, the driver acts: connections handed back in <c>expired</c> or <c>evicted</c> lists, and those
/// <see cref="Return"/> refuses, are the driver's to close. Go's transport-wide <c>MaxIdleConns</c> (20000 in
/// pyroscope.write) is not modelled: one writer endpoint talks to one host.
/// </remarks>
public sealed class IdleConnectionPool<TConn> where TConn : notnull
{
    /// <summary>Go's DefaultMaxIdleConnsPerHost, used when MaxIdleConnsPerHost is 0.</summary>
    public const int GoDefaultMaxIdlePerHost = 2;

    // Oldest first: returns append, LIFO takes from the end, and expiry removes a prefix.
    private readonly List<(TConn Conn, Instant Since)> idle = [];
    private readonly HashSet<TConn> members = [];

    /// <param name="maxIdlePerHost">As Go reads MaxIdleConnsPerHost: 0 means 2, a negative value keeps nothing.</param>
    /// <param name="idleTimeout">IdleConnTimeout; zero or less means idle connections never expire.</param>
    public IdleConnectionPool(int maxIdlePerHost, TimeSpan idleTimeout)
    {
        MaxIdle = maxIdlePerHost switch
        {
            0 => GoDefaultMaxIdlePerHost,
            < 0 => 0,
            _ => maxIdlePerHost,
        };
        IdleTimeout = idleTimeout > TimeSpan.Zero ? idleTimeout : null;
    }

    public int MaxIdle { get; }

    public TimeSpan? IdleTimeout { get; }

    public int Count => idle.Count;

    /// <summary>When the oldest idle connection reaches its idle timeout; null when empty or without a timeout.</summary>
    public Instant? NextExpiry => idle.Count > 0 && IdleTimeout is TimeSpan timeout ? idle[0].Since + timeout : null;

    /// <summary>
    /// Takes the most recently returned connection that has not reached its idle timeout. Expired ones are removed
    /// first and appended to <paramref name="expired"/> (when given) for the driver to close.
    /// </summary>
    public bool TryTake(Instant now, [MaybeNullWhen(false)] out TConn conn, out TimeSpan idleFor, List<TConn>? expired = null)
    {
        RemoveExpired(now, expired);
        if (idle.Count == 0)
        {
            conn = default;
            idleFor = TimeSpan.Zero;
            return false;
        }
        var (taken, since) = idle[^1];
        idle.RemoveAt(idle.Count - 1);
        members.Remove(taken);
        conn = taken;
        idleFor = now - since;
        return true;
    }

    /// <summary>
    /// Puts a connection whose request finished back on top; false when the pool is full (close it then).
    /// Connections whose idle timer has fired by <paramref name="now"/> leave first and go to <paramref name="expired"/>.
    /// </summary>
    public bool Return(TConn conn, Instant now, List<TConn>? expired = null)
    {
        if (members.Contains(conn)) throw new InvalidOperationException($"Connection {conn} is already idle in the pool.");
        // Expiry removes a prefix, which needs the list ordered by return time.
        if (idle.Count > 0 && now < idle[^1].Since) throw new ArgumentException("Time went backwards.", nameof(now));
        RemoveExpired(now, expired);
        if (idle.Count >= MaxIdle) return false;
        idle.Add((conn, now));
        members.Add(conn);
        return true;
    }

    /// <summary>The peer closed an idle connection (FIN or RST seen by Go's read loop): it leaves the pool.</summary>
    public bool Remove(TConn conn)
    {
        if (!members.Remove(conn)) return false;
        var comparer = EqualityComparer<TConn>.Default;
        idle.RemoveAt(idle.FindLastIndex(entry => comparer.Equals(entry.Conn, conn)));
        return true;
    }

    /// <summary>Go's per-connection idle timer: removes every connection idle for the timeout by <paramref name="now"/>.</summary>
    public int EvictExpired(Instant now, List<TConn> evicted) => RemoveExpired(now, evicted);

    private int RemoveExpired(Instant now, List<TConn>? sink)
    {
        if (IdleTimeout is not TimeSpan timeout) return 0;
        int count = 0;
        // The idle timer fires exactly IdleConnTimeout after the return, so "reached" counts as expired.
        while (count < idle.Count && now - idle[count].Since >= timeout) count++;
        if (count == 0) return 0;
        for (int i = 0; i < count; i++)
        {
            members.Remove(idle[i].Conn);
            sink?.Add(idle[i].Conn);
        }
        idle.RemoveRange(0, count);
        return count;
    }
}
