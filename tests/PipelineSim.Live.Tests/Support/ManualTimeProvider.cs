namespace PipelineSim.Live.Tests.Support;

/// <summary>
/// A clock that moves only when the test says so, for live tests whose subject is timing: the servers' timers (Go
/// deadlines, handler delays) fire exactly at the instant the test advances to, whatever the machine's load.
/// One-shot timers only, which is all <see cref="Task.Delay(TimeSpan, TimeProvider)"/> creates.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly object gate = new();
    private readonly List<Timer> timers = [];
    private long now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        lock (gate) return now;
    }

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddTicks(GetTimestamp());

    public TimeSpan Elapsed => TimeSpan.FromTicks(GetTimestamp());

    /// <summary>Whether a timer is pending that fires exactly at <paramref name="due"/> (time since the provider's start).</summary>
    public bool HasTimerAt(TimeSpan due)
    {
        lock (gate) return timers.Any(t => t.Due == due.Ticks);
    }

    /// <summary>How many pending timers fire exactly at <paramref name="due"/> (time since the provider's start).</summary>
    public int TimersAt(TimeSpan due)
    {
        lock (gate) return timers.Count(t => t.Due == due.Ticks);
    }

    /// <summary>When each pending timer fires (time since the provider's start), earliest first: for failure messages.</summary>
    public IReadOnlyList<TimeSpan> PendingTimers
    {
        get
        {
            lock (gate) return [.. timers.Select(t => TimeSpan.FromTicks(t.Due)).Order()];
        }
    }

    /// <summary>When the earliest pending timer fires (time since the provider's start); null when none is pending.</summary>
    public TimeSpan? NextDue
    {
        get
        {
            lock (gate) return timers.Count == 0 ? null : TimeSpan.FromTicks(timers.Min(t => t.Due));
        }
    }

    /// <summary>Moves the clock forward and fires, in order, every timer due by then (on the calling thread).</summary>
    public void Advance(TimeSpan by)
    {
        List<Timer> due;
        lock (gate)
        {
            now += by.Ticks;
            due = [.. timers.Where(t => t.Due <= now).OrderBy(t => t.Due)];
            foreach (var timer in due) timers.Remove(timer);
        }
        foreach (var timer in due) timer.Fire();
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (period != Timeout.InfiniteTimeSpan && period != TimeSpan.Zero)
            throw new NotSupportedException("Only one-shot timers are supported.");
        var timer = new Timer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class Timer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long Due { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            bool fireNow;
            lock (owner.gate)
            {
                owner.timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan) return true;
                Due = owner.now + dueTime.Ticks;
                fireNow = dueTime <= TimeSpan.Zero;
                if (!fireNow) owner.timers.Add(this);
            }
            if (fireNow) ThreadPool.QueueUserWorkItem(_ => Fire());
            return true;
        }

        public void Dispose()
        {
            lock (owner.gate) owner.timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
