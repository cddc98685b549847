namespace PipelineSim.Kernel;

/// <summary>
/// Something that happens at one instant of virtual time, SimPy-style: pending until it is triggered with
/// <see cref="Succeed"/> or <see cref="Fail"/>, which schedules its processing at the current time; when processed,
/// the processes waiting for it resume and its callbacks run, in the order they started waiting.
/// </summary>
public class Event : ITimerHandler
{
    /// <summary>The token an event's own queue entry carries; a process's resume tokens are its wait versions (≥ 0).</summary>
    private protected const long ProcessToken = -1;

    // Most events have one waiter, kept inline; the list exists only for the rest.
    private Process? firstProcess;
    private long firstVersion;
    private Action<Event>? firstCallback;
    private List<(Process? Process, long Version, Action<Event>? Callback)>? moreWaiters;

    public Event(Simulation simulation)
    {
        Simulation = simulation ?? throw new ArgumentNullException(nameof(simulation));
    }

    public Simulation Simulation { get; }

    /// <summary><see cref="Succeed"/> or <see cref="Fail"/> was called; processing is scheduled or done.</summary>
    public bool IsTriggered { get; private set; }

    /// <summary>Waiters have been resumed and callbacks run.</summary>
    public bool IsProcessed { get; private set; }

    public bool IsOk { get; private set; }

    /// <summary>The value on success, the cause on failure.</summary>
    public object? Value { get; private set; }

    public void Succeed(object? value = null) => Trigger(ok: true, value, Simulation.Now);

    public void Fail(object? cause) => Trigger(ok: false, cause, Simulation.Now);

    /// <summary>Runs <paramref name="callback"/> when the event is processed; at once (scheduled now) if it already was.</summary>
    public void AddCallback(Action<Event> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (IsProcessed)
        {
            Simulation.Queue.Schedule(Simulation.Now, new LateCallback(this, callback), 0);
            return;
        }
        if (firstCallback is null && firstProcess is null && moreWaiters is null) firstCallback = callback;
        else (moreWaiters ??= []).Add((null, 0, callback));
    }

    /// <summary>A callback added after processing still runs from the queue, never inside the caller.</summary>
    private sealed class LateCallback(Event source, Action<Event> callback) : ITimerHandler
    {
        public void OnTimer(long token) => callback(source);
    }

    /// <summary>Triggers the event at <paramref name="time"/> (≥ now): how timeouts are made.</summary>
    internal void Trigger(bool ok, object? value, long time)
    {
        if (IsTriggered) throw new InvalidOperationException("The event has already been triggered.");
        IsTriggered = true;
        IsOk = ok;
        Value = value;
        Simulation.Queue.Schedule(time, this, ProcessToken);
    }

    internal void AddWaiter(Process process, long version)
    {
        if (firstProcess is null && firstCallback is null && moreWaiters is null)
        {
            firstProcess = process;
            firstVersion = version;
        }
        else (moreWaiters ??= []).Add((process, version, null));
    }

    void ITimerHandler.OnTimer(long token) => Dispatch(token);

    private protected virtual void Dispatch(long token) => Process();

    private void Process()
    {
        IsProcessed = true;
        if (firstProcess is { } process) process.ResumeFromEvent(firstVersion);
        else firstCallback?.Invoke(this);
        firstProcess = null;
        firstCallback = null;
        if (moreWaiters is not { } rest) return;
        moreWaiters = null;
        foreach (var (waiter, version, callback) in rest)
        {
            if (waiter is not null) waiter.ResumeFromEvent(version);
            else callback!(this);
        }
    }
}
