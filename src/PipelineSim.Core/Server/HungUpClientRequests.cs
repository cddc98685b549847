using PipelineSim.Core.Time;

namespace PipelineSim.Core.Server;

/// <summary>
/// One receiver's requests from clients that had hung up before the connection was accepted: how many the handler
/// started (<see cref="Read"/>), and how many of them <see cref="HungUpClientRace"/> let forward before the context
/// was canceled (<see cref="Forwarded"/>, each a duplicate push: its client already gave up and retries it). Both
/// drivers decide and count through <see cref="OnHandlerStarted"/>; the live receiver calls it from many threads.
/// </summary>
public sealed class HungUpClientRequests(HungUpClientRace race)
{
    private long read;
    private long forwarded;

    public HungUpClientRace Race { get; } = race ?? throw new ArgumentNullException(nameof(race));

    /// <summary>Requests read after their client hung up (the handler started, with or without forwarding).</summary>
    public long Read => Interlocked.Read(ref read);

    /// <summary>Of <see cref="Read"/>, the requests forwarded anyway: duplicate pushes.</summary>
    public long Forwarded => Interlocked.Read(ref forwarded);

    /// <summary>
    /// A handler started at <paramref name="handlerStarted"/> on a request whose client had hung up and would forward at
    /// <paramref name="forwardAt"/>: counts it and answers whether it forwards (true) or finds its context canceled.
    /// </summary>
    public bool OnHandlerStarted(Instant handlerStarted, Instant forwardAt, double uniform)
    {
        bool forwards = Race.Forwards(handlerStarted, forwardAt, uniform);
        Interlocked.Increment(ref read);
        if (forwards) Interlocked.Increment(ref forwarded);
        return forwards;
    }

    /// <summary>
    /// A request read after its client hung up that ended before it could forward, so the race never ran: its body was
    /// cut short by the FIN (Go's body read fails at the end of what was sent) or the handler refused it. Counted as
    /// read, and not forwarded.
    /// </summary>
    public void OnEndedBeforeForward() => Interlocked.Increment(ref read);
}
