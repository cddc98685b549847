using System.Diagnostics.CodeAnalysis;

namespace PipelineSim.Core.Limits;

/// <summary>
/// <c>golang.org/x/net/netutil.LimitListener</c> (golang/net netutil/listen.go) in front of a bounded accept backlog. At the
/// limit the server stops accepting: new connections wait in arrival order (the kernel's accept queue), and closing
/// an accepted connection hands its slot straight to the oldest waiter. <see cref="Active"/> is what dskit's
/// <c>tcp_connections</c> gauge shows: it counts accepted connections only and never exceeds the limit.
/// </summary>
/// <typeparam name="T">Whatever identifies a waiting connection to the driver.</typeparam>
public sealed class ConnectionLimiter<T>
{
    private readonly Queue<T> waiting = new();

    /// <param name="limit">Maximum accepted connections; 0 means no limit, as <c>conn_limit</c> = 0 does.</param>
    /// <param name="maxWaiting">Capacity of the accept backlog (Linux: min(listen backlog, somaxconn)).</param>
    public ConnectionLimiter(int limit, int maxWaiting = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfNegative(maxWaiting);
        Limit = limit;
        MaxWaiting = maxWaiting;
    }

    public int Limit { get; }

    public int MaxWaiting { get; }

    public bool IsUnlimited => Limit == 0;

    public int Active { get; private set; }

    public int Waiting => waiting.Count;

    /// <summary>The most connections ever accepted at once.</summary>
    public int PeakActive { get; private set; }

    public Admission TryAcquire(T waiter)
    {
        // A free slot implies an empty queue: Release hands slots to waiters before freeing them.
        if (IsUnlimited || Active < Limit)
        {
            Active++;
            PeakActive = Math.Max(PeakActive, Active);
            return Admission.Accepted;
        }
        if (waiting.Count >= MaxWaiting) return Admission.Rejected;
        waiting.Enqueue(waiter);
        return Admission.Queued;
    }

    /// <summary>
    /// A waiter gives up before it was handed a slot (the live driver's accept loop stopping, for example): it leaves
    /// the backlog without taking a slot. False when it is not waiting, because it was never queued or already
    /// received a slot from <see cref="Release"/>; the caller then holds that slot and must release it.
    /// </summary>
    public bool Withdraw(T waiter)
    {
        int before = waiting.Count;
        var comparer = EqualityComparer<T>.Default;
        bool found = false;
        // Rare and the backlog is short-lived: rebuilding keeps the arrival order without a second structure.
        for (int i = 0; i < before; i++)
        {
            T next = waiting.Dequeue();
            if (!found && comparer.Equals(next, waiter)) found = true;
            else waiting.Enqueue(next);
        }
        return found;
    }

    /// <summary>
    /// An accepted connection closed. If a connection is waiting it is accepted into the freed slot and returned
    /// (<see cref="Active"/> stays the same); otherwise the slot becomes free.
    /// </summary>
    public bool Release([MaybeNullWhen(false)] out T next)
    {
        if (Active == 0) throw new InvalidOperationException("No accepted connection to release.");
        if (waiting.TryDequeue(out next)) return true;
        Active--;
        return false;
    }
}
