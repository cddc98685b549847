using PipelineSim.Core.Server;
using PipelineSim.Core.Time;
using PipelineSim.Kernel;
using PipelineSim.Model.Net;
using PipelineSim.Model.Runtime;

namespace PipelineSim.Model.Http;

/// <summary>Where the server side of a flow is: not reached yet, waiting in the accept backlog, accepted, or closed.</summary>
internal enum ServerPhase : byte { None, Backlog, Accepted, Closed }

/// <summary>
/// The server's side of one flow, owned by its <see cref="HttpServer"/>: the accept phase, the requests that waited in
/// the backlog, the requests being handled, and Core's <see cref="ServerConnectionDeadlines"/> (held inline: a request
/// reaches them without another object to load) with the one kernel timer that wakes the server at its next deadline.
/// Nothing outside the server changes it; the flow only reads the phase.
/// </summary>
internal sealed class ServerConnection : ITimerHandler
{
    private readonly World world;
    private Exchange? backlogHead, backlogTail;
    private bool timerPending;
    private ServerConnectionDeadlines deadlines;
    private long backlogSince;

    public ServerConnection(World world, Flow flow)
    {
        this.world = world;
        Flow = flow;
    }

    public Flow Flow { get; }

    public ServerPhase Phase { get; private set; }

    /// <summary>Go's deadlines for this connection, from its accept on (read them only once <see cref="WasAccepted"/>).</summary>
    public ref ServerConnectionDeadlines Deadlines => ref deadlines;

    /// <summary>The connection has been accepted (its <see cref="Deadlines"/> are set), whatever its phase now.</summary>
    public bool WasAccepted { get; private set; }

    /// <summary>Requests being handled on this connection (a list through <see cref="Exchange.NextServerActive"/>).</summary>
    public Exchange? FirstActive { get; private set; }

    public int Active { get; private set; }

    /// <summary>The server's index of this connection in its list of connections; -1 when not listed.</summary>
    public int ListSlot { get; set; } = -1;

    public bool HasBacklogged => backlogHead is not null;

    /// <summary>How long the connection waited in the accept backlog before its accept (0 when accepted at once).</summary>
    public long BacklogWait { get; private set; }

    /// <summary>The wait in the accept backlog as of <paramref name="now"/>: still counting while the connection waits there.</summary>
    public long BacklogWaitAt(long now) => Phase == ServerPhase.Backlog ? now - backlogSince : BacklogWait;

    public void EnterBacklog()
    {
        Phase = ServerPhase.Backlog;
        backlogSince = world.Now;
    }

    public void Accept(GoServerTimeouts timeouts, bool multiplexed)
    {
        BacklogWait = BacklogWaitAt(world.Now);
        Phase = ServerPhase.Accepted;
        deadlines = new ServerConnectionDeadlines(timeouts, new Instant(world.Now), multiplexed);
        WasAccepted = true;
    }

    /// <summary>The connection is closed on the server side (a deadline, a close after a hung-up client, a reset).</summary>
    public void MarkClosed()
    {
        Phase = ServerPhase.Closed;
        if (WasAccepted) deadlines.OnClosed();
    }

    /// <summary>A request reached the kernel while the connection waited in the backlog: nothing reads it until the accept.</summary>
    public void QueueInBacklog(Exchange exchange)
    {
        if (backlogTail is null) backlogHead = exchange;
        else backlogTail.NextInBacklog = exchange;
        backlogTail = exchange;
    }

    /// <summary>The oldest request that waited in the backlog, or null.</summary>
    public Exchange? TakeBacklogged()
    {
        var head = backlogHead;
        if (head is null) return null;
        backlogHead = head.NextInBacklog;
        head.NextInBacklog = null;
        if (backlogHead is null) backlogTail = null;
        return head;
    }

    public void AddActive(Exchange exchange)
    {
        exchange.ServerActive = true;
        exchange.NextServerActive = FirstActive;
        if (FirstActive is not null) FirstActive.PrevServerActive = exchange;
        FirstActive = exchange;
        Active++;
    }

    public void RemoveActive(Exchange exchange)
    {
        exchange.ServerActive = false;
        if (exchange.PrevServerActive is not null) exchange.PrevServerActive.NextServerActive = exchange.NextServerActive;
        else FirstActive = exchange.NextServerActive;
        if (exchange.NextServerActive is not null) exchange.NextServerActive.PrevServerActive = exchange.PrevServerActive;
        exchange.NextServerActive = exchange.PrevServerActive = null;
        Active--;
    }

    /// <summary>Wakes the server at Core's next deadline; one pending timer per connection, re-armed when it fires early.</summary>
    public void ArmDeadlineTimer()
    {
        if (timerPending || !WasAccepted || deadlines.Next is not { Kind: not ServerTimeoutKind.None } next) return;
        timerPending = true;
        world.Sim.ScheduleAt(next.At.When.Ticks, this, 0);
    }

    public void OnTimer(long token)
    {
        timerPending = false;
        Flow.Server?.OnDeadlineTimer(this);
    }
}
