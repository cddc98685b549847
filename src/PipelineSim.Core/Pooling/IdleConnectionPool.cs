using System.Diagnostics.CodeAnalysis;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Pooling;

/// <summary>
/// The idle-connection pool Go's <c>http.Transport</c> keeps for one host (golang/go src/net/http/transport.go, tryPutIdleConn and queueForIdleConn): a returned connection
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

    // Oldest first: returns append, LIFO takes from the end, and expiry removes a prefix. One array of entries rather
    // than a list, and a membership set only once the pool is large: the simulator keeps one pool per agent, mostly
    // holding a single connection, and touches millions of them (each object one more likely cache miss).
    private const int LinearScanLimit = 8;
    private static readonly EqualityComparer<TConn> Comparer = EqualityComparer<TConn>.Default;
    private Entry[] entries = new Entry[2];
    private int count;
    private HashSet<TConn>? members;

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

    public int Count => count;

    /// <summary>When the oldest idle connection reaches its idle timeout; null when empty or without a timeout.</summary>
    public Instant? NextExpiry => count > 0 && IdleTimeout is TimeSpan timeout ? entries[0].Since + timeout : null;

    /// <summary>
    /// Takes the most recently returned connection that has not reached its idle timeout. Expired ones are removed
    /// first and appended to <paramref name="expired"/> (when given) for the driver to close.
    /// </summary>
    public bool TryTake(Instant now, [MaybeNullWhen(false)] out TConn conn, out TimeSpan idleFor, List<TConn>? expired = null)
    {
        RemoveExpired(now, expired);
        if (count == 0)
        {
            conn = default;
            idleFor = TimeSpan.Zero;
            return false;
        }
        count--;
        conn = entries[count].Conn;
        idleFor = now - entries[count].Since;
        entries[count] = default;
        members?.Remove(conn);
        return true;
    }

    /// <summary>
    /// Puts a connection whose request finished back on top; false when the pool is full (close it then).
    /// Connections whose idle timer has fired by <paramref name="now"/> leave first and go to <paramref name="expired"/>.
    /// </summary>
    public bool Return(TConn conn, Instant now, List<TConn>? expired = null)
    {
        if (IndexOf(conn) >= 0) throw new InvalidOperationException($"Connection {conn} is already idle in the pool.");
        // Expiry removes a prefix, which needs the list ordered by return time.
        if (count > 0 && now < entries[count - 1].Since) throw new ArgumentException("Time went backwards.", nameof(now));
        RemoveExpired(now, expired);
        if (count >= MaxIdle) return false;
        if (count == entries.Length) Array.Resize(ref entries, count * 2);
        entries[count] = new Entry(conn, now);
        count++;
        if (members is not null) members.Add(conn);
        else if (count > LinearScanLimit)
        {
            members = [];
            for (int i = 0; i < count; i++) members.Add(entries[i].Conn);
        }
        return true;
    }

    /// <summary>The peer closed an idle connection (FIN or RST seen by Go's read loop): it leaves the pool.</summary>
    public bool Remove(TConn conn)
    {
        int index = IndexOf(conn);
        if (index < 0) return false;
        members?.Remove(conn);
        count--;
        Array.Copy(entries, index + 1, entries, index, count - index);
        entries[count] = default;
        return true;
    }

    private int IndexOf(TConn conn)
    {
        if (members is not null && !members.Contains(conn)) return -1;
        for (int i = count - 1; i >= 0; i--)
        {
            if (Comparer.Equals(entries[i].Conn, conn)) return i;
        }
        return -1;
    }

    /// <summary>Go's per-connection idle timer: removes every connection idle for the timeout by <paramref name="now"/>.</summary>
    public int EvictExpired(Instant now, List<TConn> evicted) => RemoveExpired(now, evicted);

    private int RemoveExpired(Instant now, List<TConn>? sink)
    {
        if (IdleTimeout is not TimeSpan timeout) return 0;
        int expiredCount = 0;
        // The idle timer fires exactly IdleConnTimeout after the return, so "reached" counts as expired.
        while (expiredCount < count && now - entries[expiredCount].Since >= timeout) expiredCount++;
        if (expiredCount == 0) return 0;
        for (int i = 0; i < expiredCount; i++)
        {
            members?.Remove(entries[i].Conn);
            sink?.Add(entries[i].Conn);
        }
        count -= expiredCount;
        Array.Copy(entries, expiredCount, entries, 0, count);
        Array.Clear(entries, count, expiredCount);
        return expiredCount;
    }

    /// <summary>An idle connection and when it was returned.</summary>
    private readonly record struct Entry(TConn Conn, Instant Since);
}
