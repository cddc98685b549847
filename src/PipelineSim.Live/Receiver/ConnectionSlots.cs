using PipelineSim.Core.Limits;
using PipelineSim.Core.Statistics;
using PipelineSim.Core.Time;
using PipelineSim.Live.Time;

namespace PipelineSim.Live.Receiver;

/// <summary>
/// The live side of <c>conn_limit</c>: Core's <see cref="ConnectionLimiter{T}"/> decides, this class makes an
/// accept loop wait for its decision and keeps dskit's gauge. As in Go, a slot is taken <em>before</em> the socket
/// is accepted and the <see cref="Accepted"/> gauge (dskit's CountingListener) counts only connections the accept
/// returned, so it can never exceed the limit while the kernel's backlog holds everyone else.
/// </summary>
internal sealed class ConnectionSlots
{
    private readonly object gate = new();
    private readonly ConnectionLimiter<TaskCompletionSource> limiter;
    private readonly LiveClock clock;
    private int accepted;
    private int peakAccepted;
    private long totalAccepted;
    private readonly TimeWeightedLevel occupancy;

    public ConnectionSlots(int limit, LiveClock clock)
    {
        // The kernel keeps the real backlog; the only waiter here is the server's accept loop.
        limiter = new ConnectionLimiter<TaskCompletionSource>(limit);
        this.clock = clock;
        Started = clock.Now;
        occupancy = new TimeWeightedLevel(Started, 0, limiter.IsUnlimited ? null : limiter.Limit);
    }

    public int Limit => limiter.Limit;

    public Instant Started { get; }

    /// <summary>pyroscope_receive_http_tcp_connections: connections accepted and not yet closed.</summary>
    public int Accepted
    {
        get { lock (gate) return accepted; }
    }

    public int PeakAccepted
    {
        get { lock (gate) return peakAccepted; }
    }

    public long TotalAccepted
    {
        get { lock (gate) return totalAccepted; }
    }

    /// <summary>Time-weighted mean of <see cref="Accepted"/> and the time it sat at the limit, up to now (Core's <see cref="TimeWeightedLevel"/>).</summary>
    public (double Mean, TimeSpan AtLimit) Occupancy()
    {
        lock (gate)
        {
            var now = clock.Now;
            return (occupancy.Mean(now), limiter.IsUnlimited ? TimeSpan.Zero : occupancy.TimeAtOrAbove(now));
        }
    }

    /// <summary>netutil.LimitListener's <c>acquire</c>: returns once this caller holds a slot.</summary>
    public async ValueTask WaitForSlotAsync(CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            if (limiter.TryAcquire(waiter) == Admission.Accepted) return;
        }
        await using var registration = cancellationToken.Register(() =>
        {
            bool withdrawn;
            lock (gate) withdrawn = limiter.Withdraw(waiter);
            // Not withdrawn means a closing connection already handed this waiter its slot: keep it.
            if (withdrawn) waiter.TrySetCanceled(cancellationToken);
        }).ConfigureAwait(false);
        await waiter.Task.ConfigureAwait(false);
    }

    /// <summary>The slot's accept returned a connection.</summary>
    public void OnAccepted()
    {
        lock (gate)
        {
            accepted++;
            occupancy.Set(clock.Now, accepted);
            totalAccepted++;
            peakAccepted = Math.Max(peakAccepted, accepted);
        }
    }

    /// <summary>An accepted connection closed: the gauge drops and the slot is freed or handed on.</summary>
    public void OnClosed()
    {
        lock (gate)
        {
            accepted--;
            occupancy.Set(clock.Now, accepted);
        }
        ReleaseSlot();
    }

    /// <summary>Gives back a slot, to the waiting accept loop if there is one.</summary>
    public void ReleaseSlot()
    {
        TaskCompletionSource? next;
        lock (gate)
        {
            if (!limiter.Release(out next)) return;
        }
        next.TrySetResult();
    }
}
