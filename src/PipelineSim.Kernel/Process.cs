namespace PipelineSim.Kernel;

/// <summary>
/// A process in SimPy's and SimSharp's style: a generator that yields <see cref="Wait"/> values and is resumed when
/// what it waits for has happened. A process is itself an event that succeeds when its body ends, so other processes
/// can wait for it.
/// </summary>
public sealed class Process : Event
{
    private IEnumerator<Wait> body = null!; // set by Begin, right after construction

    // Every wait gets a new version; a queue entry or event waiter carrying an older one is stale (interrupted).
    private long waitVersion;
    private bool interruptPending;

    internal Process(Simulation simulation, string? name) : base(simulation)
    {
        Name = name ?? "process";
        IsAlive = true;
    }

    /// <summary>Takes the body (which may need this process to be made) and schedules its first step now.</summary>
    internal void Begin(IEnumerable<Wait> body)
    {
        this.body = body.GetEnumerator();
        Simulation.Queue.Schedule(Simulation.Now, this, waitVersion);
    }

    public string Name { get; }

    public bool IsAlive { get; private set; }

    /// <summary>True while the body runs after being resumed by <see cref="Interrupt"/> rather than by what it awaited.</summary>
    public bool IsInterrupted { get; private set; }

    public object? InterruptCause { get; private set; }

    /// <summary>
    /// Abandons what the process waits for and resumes it now with <see cref="IsInterrupted"/> set. Its pending
    /// timeout stays in the queue but is ignored, and a later event it waited for no longer resumes it.
    /// </summary>
    public void Interrupt(object? cause = null)
    {
        if (!IsAlive) throw new InvalidOperationException($"Process {Name} has ended and cannot be interrupted.");
        if (Simulation.ActiveProcess == this) throw new InvalidOperationException($"Process {Name} cannot interrupt itself.");
        interruptPending = true;
        InterruptCause = cause;
        Simulation.Queue.Schedule(Simulation.Now, this, ++waitVersion);
    }

    private protected override void Dispatch(long token)
    {
        if (token == ProcessToken) base.Dispatch(token);
        else if (token == waitVersion) Step();
    }

    internal void ResumeFromEvent(long version)
    {
        if (version == waitVersion) Step();
    }

    /// <summary>Runs the body to its next wait. Waiting for an event already processed continues without a pause.</summary>
    private void Step()
    {
        var simulation = Simulation;
        // Steps never nest (what a body does to other processes and events is scheduled, not run in place), so the
        // active process is cleared afterwards rather than restored: a null store needs no GC write barrier.
        simulation.ActiveProcess = this;
        IsInterrupted = interruptPending;
        interruptPending = false;
        try
        {
            while (true)
            {
                bool more = body.MoveNext();
                IsInterrupted = false;
                if (!more)
                {
                    End();
                    return;
                }
                var wait = body.Current;
                long version = ++waitVersion;
                switch (wait.Kind)
                {
                    case Wait.WaitKind.Delay:
                        simulation.Queue.Schedule(simulation.Now + wait.Ticks, this, version);
                        return;
                    case Wait.WaitKind.Until:
                        simulation.Queue.Schedule(Math.Max(wait.Ticks, simulation.Now), this, version);
                        return;
                    default:
                        var awaited = wait.Event!;
                        if (awaited.Simulation != simulation)
                            throw new InvalidOperationException($"Process {Name} waited for an event of another simulation.");
                        if (awaited.IsProcessed) continue;
                        awaited.AddWaiter(this, version);
                        return;
                }
            }
        }
        finally
        {
            simulation.ActiveProcess = null;
        }
    }

    private void End()
    {
        IsAlive = false;
        body.Dispose();
        Succeed();
    }
}
