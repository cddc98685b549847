namespace PipelineSim.Kernel;

/// <summary>AnyOf / AllOf over a set of events (SimPy's conditions).</summary>
internal sealed class Condition : Event
{
    internal enum Mode { Any, All }

    private readonly Mode mode;
    private int remaining;

    public Condition(Simulation simulation, Event[] events, Mode mode) : base(simulation)
    {
        ArgumentNullException.ThrowIfNull(events);
        this.mode = mode;
        remaining = events.Length;
        if (events.Length == 0)
        {
            Succeed();
            return;
        }
        Action<Event> onChild = OnChild;
        foreach (var child in events)
        {
            if (child.Simulation != simulation) throw new ArgumentException("An event belongs to another simulation.", nameof(events));
            child.AddCallback(onChild);
        }
    }

    private void OnChild(Event child)
    {
        if (IsTriggered) return;
        if (!child.IsOk)
        {
            Fail(child.Value);
            return;
        }
        if (mode == Mode.Any) Succeed(child);
        else if (--remaining == 0) Succeed();
    }
}
