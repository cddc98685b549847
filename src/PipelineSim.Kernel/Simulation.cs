namespace PipelineSim.Kernel;

/// <summary>
/// The discrete-event kernel: a virtual clock in integer ticks (100 ns, the unit of <see cref="TimeSpan.Ticks"/>) and
/// a queue of things to do at future instants, processed in time order and, at equal times, in the order they were
/// scheduled. Nothing here knows about pipelines.
/// </summary>
public sealed class Simulation
{
    private bool stopRequested;
    private bool running;

    /// <summary>The largest <see cref="PrefetchDepths"/>.</summary>
    public const int MaxPrefetchDepths = 8;

    /// <summary>A simulation whose handlers are never asked to prefetch (the next one's own lines still are).</summary>
    public Simulation()
        : this(prefetchDepths: 0)
    {
    }

    /// <param name="prefetchDepths">
    /// How many references deep handlers are asked to prefetch, one entry ahead per reference
    /// (<see cref="ITimerHandler.Prefetch"/>), up to <see cref="MaxPrefetchDepths"/>. It pays where handlers reach
    /// cold objects on a heap larger than the caches (a model of 100,000 agents); for small handlers that hold
    /// little, the calls cost more than they save (a fifth of the kernel benchmark's rate at 4).
    /// </param>
    public Simulation(int prefetchDepths)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefetchDepths);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefetchDepths, MaxPrefetchDepths);
        PrefetchDepths = prefetchDepths;
        Queue = new EventQueue(prefetchDepths);
    }

    /// <summary>The current virtual time in ticks.</summary>
    public long Now { get; private set; }

    public TimeSpan Elapsed => new(Now);

    /// <summary>Queue entries dispatched so far (timers, event processing and process resumptions, stale ones included).</summary>
    public long EventsProcessed { get; private set; }

    /// <summary>The process whose body is running, if any.</summary>
    public Process? ActiveProcess { get; internal set; }

    /// <summary>Entries waiting in the queue.</summary>
    public int PendingCount => Queue.Count;

    internal EventQueue Queue { get; }

    /// <summary>How many references deep handlers are asked to prefetch (see the constructor).</summary>
    public int PrefetchDepths { get; }

    /// <summary>Starts a process; its body first runs at the current time, after what is already due now.</summary>
    public Process Start(IEnumerable<Wait> body, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        var process = new Process(this, name);
        process.Begin(body);
        return process;
    }

    /// <summary>Starts a process whose body receives its own <see cref="Process"/> (to read interrupts).</summary>
    public Process Start(Func<Process, IEnumerable<Wait>> body, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        var process = new Process(this, name);
        process.Begin(body(process) ?? throw new InvalidOperationException("The process body factory returned null."));
        return process;
    }

    /// <summary>Calls <paramref name="handler"/> with <paramref name="token"/> at <paramref name="time"/> (not before now).</summary>
    public void ScheduleAt(long time, ITimerHandler handler, long token)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (time < Now) throw new ArgumentOutOfRangeException(nameof(time), time, $"The time is before now ({Now}).");
        Queue.Schedule(time, handler, token);
    }

    public void ScheduleAfter(long delay, ITimerHandler handler, long token)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delay);
        ScheduleAt(Now + delay, handler, token);
    }

    /// <summary>A pending event, triggered by <see cref="Event.Succeed"/> or <see cref="Event.Fail"/>.</summary>
    public Event NewEvent() => new(this);

    /// <summary>An event that succeeds with <paramref name="value"/> after <paramref name="delay"/> ticks.</summary>
    public Event Timeout(long delay, object? value = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delay);
        var timeout = new Event(this);
        timeout.Trigger(ok: true, value, Now + delay);
        return timeout;
    }

    public Event Timeout(TimeSpan delay, object? value = null) => Timeout(delay.Ticks, value);

    /// <summary>Succeeds, with the first event as its value, when any of <paramref name="events"/> succeeds; fails if that one fails.</summary>
    public Event AnyOf(params Event[] events) => new Condition(this, events, Condition.Mode.Any);

    /// <summary>Succeeds when all of <paramref name="events"/> have succeeded; fails as soon as one fails.</summary>
    public Event AllOf(params Event[] events) => new Condition(this, events, Condition.Mode.All);

    /// <summary>Runs until nothing remains to do.</summary>
    public void Run()
    {
        EnsureNotRunning();
        RunCore(long.MaxValue, null);
    }

    /// <summary>Processes everything due before <paramref name="until"/>, then sets the clock to it. Entries due exactly
    /// at <paramref name="until"/> stay queued, as in SimPy's <c>run(until)</c>.</summary>
    public void RunUntil(long until)
    {
        EnsureNotRunning();
        if (until < Now) throw new ArgumentOutOfRangeException(nameof(until), until, $"The time is before now ({Now}).");
        RunCore(until, null);
        if (!stopRequested) Now = until;
        stopRequested = false;
    }

    public void RunUntil(TimeSpan until) => RunUntil(until.Ticks);

    /// <summary>Runs until <paramref name="stop"/> has been processed, or nothing remains.</summary>
    public void Run(Event stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        EnsureNotRunning();
        stop.AddCallback(_ => Stop());
        RunCore(long.MaxValue, stop);
    }

    /// <summary>Ends the current run after the entry being dispatched.</summary>
    public void Stop() => stopRequested = true;

    /// <summary>A run from inside a run would dispatch entries inside a process's step; steps are never nested.</summary>
    private void EnsureNotRunning()
    {
        if (running) throw new InvalidOperationException("The simulation is already running: Run and RunUntil cannot be called from inside it.");
    }

    private void RunCore(long until, Event? stop)
    {
        var queue = Queue;
        stopRequested = false;
        running = true;
        long dispatched = 0;
        try
        {
            while (queue.TryTake(until, out var entry))
            {
                Now = entry.Time;
                dispatched++;
                entry.Handler.OnTimer(entry.Token);
                if (stopRequested) break;
            }
        }
        finally
        {
            EventsProcessed += dispatched;
            running = false;
        }
        if (stop is not null) stopRequested = false;
    }
}
