namespace PipelineSim.Kernel;

/// <summary>
/// What a process yields: a delay, an absolute time, or an event to wait for. A struct, so a process looping on
/// timeouts allocates nothing per step (SimSharp allocates a Timeout event each time).
/// </summary>
public readonly struct Wait
{
    internal enum WaitKind : byte { Delay, Until, Event }

    private Wait(WaitKind kind, long ticks, Event? @event)
    {
        Kind = kind;
        Ticks = ticks;
        Event = @event;
    }

    internal WaitKind Kind { get; }

    internal long Ticks { get; }

    internal Event? Event { get; }

    /// <summary>Resume after <paramref name="ticks"/> (100 ns each); zero yields to the other events due now.</summary>
    public static Wait Delay(long ticks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ticks);
        return new(WaitKind.Delay, ticks, null);
    }

    public static Wait Delay(TimeSpan delay) => Delay(delay.Ticks);

    /// <summary>Resume at <paramref name="time"/>; a time already past resumes at once (after the events due now).</summary>
    public static Wait Until(long time) => new(WaitKind.Until, time, null);

    public static Wait For(Event @event) => new(WaitKind.Event, 0, @event ?? throw new ArgumentNullException(nameof(@event)));

    public static implicit operator Wait(Event @event) => For(@event);
}
