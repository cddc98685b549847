using PipelineSim.Core.Connect;
using PipelineSim.Core.Limits;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Core.Server;
using PipelineSim.Core.Statistics;
using PipelineSim.Core.Time;
using PipelineSim.Kernel;
using PipelineSim.Model.Net;
using PipelineSim.Model.Recording;
using PipelineSim.Model.Runtime;

namespace PipelineSim.Model.Http;

/// <summary>
/// A Go <c>http.Server</c> behind a listener: admission through Core's <see cref="ConnectionLimiter{T}"/> (a
/// LimitListener over the kernel's accept backlog; unlimited for servers without conn_limit), Go's read, write and
/// idle timeouts, request contexts canceled when the client hangs up, and restarts. Subclasses handle requests.
/// </summary>
internal abstract class HttpServer : IDialTarget
{
    private readonly List<Flow> flows = [];
    private readonly int connLimit;
    private readonly int backlogCapacity;
    private ConnectionLimiter<Flow> limiter;
    private readonly TimeWeightedLevel accepted;
    private long upAt;

    protected HttpServer(World world, string name, int connLimit, int backlogCapacity, GoServerTimeouts timeouts, TcpKeepAliveOptions keepAlive)
    {
        World = world;
        Name = name;
        this.connLimit = connLimit;
        this.backlogCapacity = backlogCapacity;
        Timeouts = timeouts;
        KeepAlive = keepAlive;
        limiter = new ConnectionLimiter<Flow>(connLimit, AcceptQueue.Capacity(backlogCapacity));
        accepted = new TimeWeightedLevel(world.Instant, 0, connLimit > 0 ? connLimit : null);
    }

    protected World World { get; }

    public string Name { get; }

    /// <summary>Go http.Server timeouts; Core's <see cref="ServerConnectionDeadlines"/> applies them per connection.</summary>
    public GoServerTimeouts Timeouts { get; }

    /// <summary>Keep-alive probes the server's kernel sends on accepted connections (Go listeners enable them).</summary>
    public TcpKeepAliveOptions KeepAlive { get; }

    public bool IsDown => World.Now < upAt;

    public int ConnLimit => connLimit;

    public int Accepted => limiter.Active;

    public int Backlog => limiter.Waiting;

    public int PeakAccepted { get; private set; }

    public int PeakBacklog { get; private set; }

    public long SynDrops { get; private set; }

    public long ConnectionsAccepted { get; private set; }

    public long RequestsHandled { get; private set; }

    public long RequestsFailed { get; private set; }

    public int InFlight { get; private set; }

    /// <summary>Requests read after their client hung up, and how many of them were forwarded anyway (receivers decide).</summary>
    public HungUpClientRequests HungUpClients { get; } = new(HungUpClientRace.Go);

    /// <summary>How long each accepted connection had waited in the accept backlog (0 when accepted at once).</summary>
    public LatencyHistogram BacklogWaits { get; } = new(MetricNames.AcceptBacklogWaitBuckets);

    public TimeSpan TimeAtLimit => connLimit > 0 ? accepted.TimeAtOrAbove(World.Instant) : TimeSpan.Zero;

    HttpServer? IDialTarget.Route(out Components.L4Balancer? via, out int targetIndex)
    {
        via = null;
        targetIndex = -1;
        return this;
    }

    /// <summary>A load balancer's restart resets a flow through it: handlers are canceled, the slot freed, the client reset.</summary>
    public void ResetFlow(Flow flow)
    {
        CancelAll(flow);
        Close(flow, reset: true);
    }

    // ---- connections ----------------------------------------------------------------------------------------------

    public void Track(Flow flow)
    {
        flow.ServerEnd.ListSlot = flows.Count;
        flows.Add(flow);
    }

    public void Untrack(Flow flow)
    {
        int slot = flow.ServerEnd.ListSlot;
        if (slot < 0) return;
        int last = flows.Count - 1;
        if (slot != last)
        {
            flows[slot] = flows[last];
            flows[slot].ServerEnd.ListSlot = slot;
        }
        flows.RemoveAt(last);
        flow.ServerEnd.ListSlot = -1;
    }

    public SynVerdict OnSyn(Flow flow)
    {
        if (IsDown || flow.ServerSide == ServerPhase.Closed) return SynVerdict.Refused;
        var verdict = SynVerdicts.From(limiter.TryAcquire(flow));
        switch (verdict)
        {
            case SynVerdict.Accepted:
                OnAccepted(flow);
                break;
            case SynVerdict.Queued:
                flow.ServerEnd.EnterBacklog();
                PeakBacklog = Math.Max(PeakBacklog, limiter.Waiting);
                break;
            default:
                SynDrops++;
                break;
        }
        return verdict;
    }

    private void OnAccepted(Flow flow)
    {
        var conn = flow.ServerEnd;
        conn.Accept(Timeouts, flow.Http2);
        BacklogWaits.Observe(conn.BacklogWait);
        ConnectionsAccepted++;
        accepted.Set(World.Instant, limiter.Active);
        PeakAccepted = Math.Max(PeakAccepted, limiter.Active);
        if (!conn.HasBacklogged && flow.ClientFinAtServer)
        {
            // Accepted long after the client hung up: the first read sees EOF.
            Close(flow);
            return;
        }
        while (conn.TakeBacklogged() is Exchange queued) Start(flow, queued);
        if (conn.Active == 0) conn.ArmDeadlineTimer();
    }

    /// <summary>Closes the server side with a FIN and frees its slot (handing it to the oldest backlog connection).</summary>
    protected void Close(Flow flow, bool reset = false)
    {
        bool held = flow.ServerSide == ServerPhase.Accepted;
        flow.CloseByServer(reset);
        if (held) ReleaseSlot();
    }

    private void ReleaseSlot()
    {
        if (limiter.Release(out var next)) OnAccepted(next);
        else accepted.Set(World.Instant, limiter.Active);
    }

    public void OnClientFin(Flow flow)
    {
        if (flow.ServerSide != ServerPhase.Accepted) return; // a backlog connection learns it at accept
        if (flow.ServerEnd.Active == 0)
        {
            Close(flow);
            return;
        }
        // Go cancels the request context when its background read sees EOF; the handler finishes, then the conn closes.
        CancelAll(flow);
    }

    private void CancelAll(Flow flow)
    {
        for (var active = flow.ServerEnd.FirstActive; active is not null;)
        {
            var next = active.NextServerActive;
            Cancel(active);
            active = next;
        }
    }

    /// <summary>The connection's deadline timer fired: Core says whether a read or idle deadline closed it.</summary>
    public void OnDeadlineTimer(ServerConnection conn)
    {
        if (conn.Phase != ServerPhase.Accepted || conn.Active > 0) return;
        if (conn.Deadlines.Tick(new Instant(World.Now)) != ServerTimeoutKind.None) Close(conn.Flow);
        else conn.ArmDeadlineTimer();
    }

    // ---- requests -------------------------------------------------------------------------------------------------

    public void OnRequestArrived(Flow flow, Exchange exchange)
    {
        switch (flow.ServerSide)
        {
            case ServerPhase.Backlog:
                // Nothing reads it until the connection is accepted.
                flow.ServerEnd.QueueInBacklog(exchange);
                break;
            case ServerPhase.Accepted when flow.ServerEnd.Active == 0
                && flow.ServerEnd.Deadlines.Tick(new Instant(World.Now)) != ServerTimeoutKind.None:
                // The read or idle deadline passed at this very instant: Go has closed the connection.
                Close(flow);
                exchange.TransportFailure = Failure.ConnectionReset;
                exchange.ArriveAtClientAt(World.Now + flow.OneWay);
                break;
            case ServerPhase.Accepted:
                Start(flow, exchange);
                break;
            default:
                // Closed (or never accepted): the kernel answers with a reset.
                exchange.TransportFailure = Failure.ConnectionReset;
                exchange.ArriveAtClientAt(World.Now + flow.OneWay);
                break;
        }
    }

    private void Start(Flow flow, Exchange exchange)
    {
        var conn = flow.ServerEnd;
        // The whole request is there at once: its bytes, headers and body are read now (Go's write deadline starts).
        conn.Deadlines.OnRequestRead(new Instant(World.Now), out var writeDeadline);
        exchange.WriteDeadline = writeDeadline;
        conn.AddActive(exchange);
        RequestsHandled++;
        InFlight++;
        Handle(exchange, canceled: flow.ClientFinAtServer);
    }

    /// <summary>
    /// The handler is done: the response goes back, unless Go's write deadline has passed (Core decides; the client
    /// then sees the connection end, or on HTTP/2 the stream) or the client has hung up.
    /// </summary>
    protected void Complete(Exchange exchange, ConnectCode code, Failure? failure)
    {
        if (!exchange.ServerActive) return;
        var flow = exchange.Flow;
        var conn = flow.ServerEnd;
        conn.RemoveActive(exchange);
        InFlight--;
        if (code != ConnectCode.Ok) RequestsFailed++;
        if (flow.ServerSide != ServerPhase.Accepted) return;

        if (flow.ClientFinAtServer)
        {
            if (conn.Active == 0) Close(flow);
            return;
        }
        switch (conn.Deadlines.OnHandlerFinished(new Instant(World.Now), exchange.WriteDeadline))
        {
            case ResponseWrite.TimedOut when flow.Http2:
                exchange.TransportFailure = Failure.UnexpectedEof;
                flow.Respond(exchange);
                break;
            case ResponseWrite.TimedOut:
                Close(flow);
                return;
            default:
                exchange.ResponseCode = code;
                exchange.ResponseFailure = failure;
                flow.Respond(exchange);
                break;
        }
        if (conn.Active == 0) conn.ArmDeadlineTimer();
    }

    /// <summary>Starts handling a request; <paramref name="canceled"/>: its context is already done (the client left).</summary>
    protected abstract void Handle(Exchange exchange, bool canceled);

    /// <summary>The request's context was canceled (the client hung up, or the server restarts).</summary>
    protected abstract void Cancel(Exchange exchange);

    /// <summary>An HTTP/2 client reset the stream of a request being handled: its context is canceled.</summary>
    public void OnStreamReset(Exchange exchange)
    {
        if (exchange.ServerActive) Cancel(exchange);
    }

    /// <summary>A timer the subclass set on an exchange (<see cref="Exchange.ScheduleServerWork"/>) fired.</summary>
    public virtual void OnWorkTimer(Exchange exchange)
    {
    }

    // ---- restarts -------------------------------------------------------------------------------------------------

    /// <summary>
    /// The process restarts: every connection is reset, handlers are canceled, and for <paramref name="downtime"/>
    /// nothing listens. The new process starts with an empty listener.
    /// </summary>
    public void Restart(TimeSpan downtime)
    {
        upAt = World.Now + downtime.Ticks;
        ResetAll();
    }

    /// <summary>Resets every connection and cancels every handler, as a crash or a refusing outage does.</summary>
    protected void ResetAll()
    {
        var snapshot = flows.ToArray();
        foreach (var flow in snapshot)
        {
            CancelAll(flow);
            flow.ResetByRestart();
        }
        limiter = new ConnectionLimiter<Flow>(connLimit, AcceptQueue.Capacity(backlogCapacity));
        accepted.Set(World.Instant, 0);
        OnReset();
    }

    /// <summary>Subclasses drop their own state (queues) here.</summary>
    protected virtual void OnReset()
    {
    }

    public void RefuseUntil(long time) => upAt = Math.Max(upAt, time);

    // ---- figures ------------------------------------------------------------------------------------------------

    public ReceiverStats Stats() => new()
    {
        Receiver = Name,
        ConnLimit = connLimit,
        PeakAcceptedConnections = PeakAccepted,
        MeanAcceptedConnections = accepted.Mean(World.Instant),
        TimeAtLimit = TimeAtLimit,
        AcceptBacklogCapacity = AcceptQueue.Capacity(backlogCapacity),
        PeakAcceptBacklog = PeakBacklog,
        SynDrops = SynDrops,
        ConnectionsAccepted = ConnectionsAccepted,
        RequestsHandled = RequestsHandled,
        RequestsFailed = RequestsFailed,
        RequestsAfterHangUp = HungUpClients.Read,
        DuplicateForwards = HungUpClients.Forwarded,
    };
}
