using PipelineSim.Core.Connections;
using PipelineSim.Core.Limits;
using PipelineSim.Core.Options;
using PipelineSim.Core.Time;
using PipelineSim.Kernel;
using PipelineSim.Model.Components;
using PipelineSim.Model.Http;
using PipelineSim.Model.Runtime;
using PipelineSim.Spec;

namespace PipelineSim.Model.Net;

internal enum ClientPhase : byte { Dialing, Open, Closed }

internal enum BreakKind : byte { None, Silent, Rst }

/// <summary>The moments a flow schedules for itself (the kernel's timer token; quinn-proto's timer.rs in spirit).</summary>
internal enum FlowTimer : long
{
    /// <summary>A SYN reaches the server.</summary>
    SynArrives = 1,

    /// <summary>An unanswered SYN is sent again (RTO doubling from tcp_syn_rto).</summary>
    SynRetransmit,

    /// <summary>The SYN-ACK reaches the client: the handshake is complete.</summary>
    Established,

    /// <summary>The TLS handshake's extra round trip is done.</summary>
    TlsDone,

    /// <summary>A reset answers the SYN: nothing listens.</summary>
    Refused,

    /// <summary>The client's FIN reaches the server.</summary>
    FinAtServer,

    /// <summary>The server's FIN reaches the client.</summary>
    CloseAtClient,

    /// <summary>A reset reaches the client.</summary>
    ResetAtClient,

    /// <summary>A random break forgets the flow silently.</summary>
    RandomSilentBreak,

    /// <summary>A random break forgets the flow and resets its next packet.</summary>
    RandomResetBreak,

    /// <summary>HTTP/2's read-idle health check is due.</summary>
    HealthCheck,

    /// <summary>The health-check ping went unanswered for PingTimeout.</summary>
    PingLost,
}

/// <summary>
/// One TCP connection from a client (its <see cref="Owner"/>) to a server, over one link or, through an L4
/// balancer, two. It carries the packets of the model: SYNs, requests, responses, FINs and resets, each delayed by
/// the path and lost when the path is broken. Middlebox expiry is evaluated lazily from <see cref="LastActivity"/>;
/// events are scheduled only for what must happen by itself (a SYN retransmission, a keep-alive verdict).
/// </summary>
internal sealed class Flow : ITimerHandler
{
    private readonly World world;
    private int synRetransmits;
    private long idleGeneration;
    // Values, not objects: every packet reads them (see FlowPath). Mutable fields, so their methods change them in place.
    private FlowPath path;
    private PathBreaks breaks;
    private Exchange? outstandingHead;

    public Flow(World world, IFlowOwner owner, IDialTarget target, TcpKeepAliveOptions keepAlive, bool tls, Http2Health? http2)
    {
        this.world = world;
        Id = world.NextFlowId();
        Owner = owner;
        KeepAlive = keepAlive;
        Tls = tls;
        Http2Health = http2;
        Server = target.Route(out var via, out int targetIndex);
        Via = via;
        BalancerTarget = targetIndex;
        var first = world.Network.Between(owner.ClientName, target.Name);
        var second = via is not null && Server is not null ? world.Network.Between(via.Name, Server.Name) : null;
        path = new FlowPath(first, second);
        breaks = new PathBreaks(path, keepAlive, Server?.KeepAlive,
            http2 is Http2Health h2 ? TimeSpan.FromTicks(h2.ReadIdleTimeout) : null);
        ServerEnd = new ServerConnection(world, this);
    }

    public long Id { get; }

    public IFlowOwner Owner { get; }

    /// <summary>The server the flow reaches; null when the dial was refused at the start (no target up).</summary>
    public HttpServer? Server { get; }

    public L4Balancer? Via { get; }

    public TcpKeepAliveOptions KeepAlive { get; }

    public bool Tls { get; }

    /// <summary>Set for an HTTP/2 connection: its ping health check.</summary>
    public Http2Health? Http2Health { get; }

    public bool Http2 => Http2Health is not null;

    /// <summary>Whether the flow has carried a request before (Go's GotConnInfo.Reused).</summary>
    public bool HasCarried { get; private set; }

    public long OneWay => path.OneWay;

    public long Rtt => 2 * OneWay;

    public ClientPhase Client { get; private set; }

    /// <summary>The server's side of the flow, owned by the server it reaches.</summary>
    public ServerConnection ServerEnd { get; }

    public ServerPhase ServerSide => ServerEnd.Phase;

    /// <summary>The server's kernel has the client's FIN: the server learns it at its next read.</summary>
    public bool ClientFinAtServer { get; private set; }

    /// <summary>Last packet of the connection (request, response, answered probe): what middleboxes time out from.</summary>
    public long LastActivity { get; private set; }

    /// <summary>Requests sent and not yet answered (HTTP/1.1: at most one).</summary>
    public int Outstanding { get; private set; }

    /// <summary>When the client last received anything (HTTP/2's read-idle health check counts from here).</summary>
    public long LastReceived { get; private set; }

    /// <summary>Pooled use: when the flow went idle in the client's pool, for the attempt record.</summary>
    public long IdleSince { get; private set; }

    /// <summary>Slot bookkeeping for the L4 balancer's list.</summary>
    public int BalancerSlot { get; set; } = -1;

    public int BalancerTarget { get; set; } = -1;

    /// <summary>Set by the owner: who asked for this dial and with which tag (Go's wantConn); null once the dial is resolved.</summary>
    public object? Dialer { get; set; }

    public long DialerTag { get; set; }

    public bool FullyClosed => Client == ClientPhase.Closed && ServerSide is ServerPhase.Closed or ServerPhase.None;

    private NetworkSpec Tcp => world.Tcp;

    // ---- dialing ------------------------------------------------------------------------------------------------

    /// <summary>Sends the first SYN. The owner hears back through OnEstablished or OnDialFailed.</summary>
    public void Dial()
    {
        long now = world.Now;
        LastActivity = now;
        if (Server is null)
        {
            Schedule(now + path.First.OneWay * 2, FlowTimer.Refused);
            return;
        }
        path.Register(this);
        Server.Track(this);
        Via?.Track(this);
        SendSyn(now);
    }

    private void SendSyn(long now)
    {
        if (path.PartitionedAt(now)) ScheduleSynRetransmit(now);
        else Schedule(now + OneWay, FlowTimer.SynArrives);
    }

    private void ScheduleSynRetransmit(long now)
    {
        long rto = Tcp.InitialSynRto.Ticks << synRetransmits;
        Schedule(now + rto, FlowTimer.SynRetransmit);
    }

    private void OnSynArrived()
    {
        var server = Server!;
        if (Client == ClientPhase.Closed && ServerSide == ServerPhase.None)
        {
            // The client gave up on a dial long ago (the flow was torn down); nothing to do.
            return;
        }
        switch (server.OnSyn(this))
        {
            case SynVerdict.Refused:
                Schedule(world.Now + OneWay, FlowTimer.Refused);
                break;
            case SynVerdict.Dropped:
                ScheduleSynRetransmit(world.Now - OneWay);
                break;
            default:
                // Accepted or queued: the kernel completes the handshake either way; the SYN-ACK travels back.
                Schedule(world.Now + OneWay, FlowTimer.Established);
                break;
        }
    }

    private void OnSynRetransmitDue()
    {
        if (Client != ClientPhase.Dialing) return;
        if (synRetransmits >= Tcp.SynRetries)
        {
            FailDial(Failure.DialTimedOut);
            return;
        }
        synRetransmits++;
        SendSyn(world.Now);
    }

    private void OnEstablished(bool tlsDone = false)
    {
        if (Client != ClientPhase.Dialing) return;
        if (Tls && !tlsDone)
        {
            // A TLS 1.3 handshake: one more round trip before the first request.
            Schedule(world.Now + Rtt, FlowTimer.TlsDone);
            return;
        }
        Client = ClientPhase.Open;
        LastActivity = LastReceived = world.Now;
        RegisterRandomBreak();
        if (Http2Health is Http2Health h2) Schedule(world.Now + h2.ReadIdleTimeout, FlowTimer.HealthCheck);
        Owner.OnEstablished(this);
        ForgetDialer();
    }

    private void FailDial(Failure failure)
    {
        if (Client != ClientPhase.Dialing) return;
        Client = ClientPhase.Closed;
        if (ServerSide == ServerPhase.None) ServerEnd.MarkClosed();
        TryUnregister();
        Owner.OnDialFailed(this, failure);
        ForgetDialer();
    }

    /// <summary>
    /// The dial is resolved: its requester no longer matters. Holding it would keep that push, its retry loop and its
    /// batch alive for as long as the connection lives (an agent's keep-alive connection: the whole run).
    /// </summary>
    private void ForgetDialer() => Dialer = null;

    // ---- client side ----------------------------------------------------------------------------------------------

    /// <summary>Writes a request. Lost on a silently broken path; answered with a reset on an RST one.</summary>
    public void Send(Exchange exchange)
    {
        long now = world.Now;
        idleGeneration++;
        HasCarried = true;
        exchange.SentAt = now;
        AddOutstanding(exchange);
        var state = StateAt(now);
        LastActivity = now;
        if (state == BreakKind.Rst)
        {
            Schedule(now + Rtt, FlowTimer.ResetAtClient);
            return;
        }
        if (state == BreakKind.Silent) return; // the client's deadline ends it
        long arrival = path.Deliver(now, Tcp);
        if (arrival == Lost) return;
        exchange.ArriveAtServerAt(arrival);
    }

    /// <summary>The client stops waiting for an exchange; HTTP/1.1 then closes the connection (Go's cancelRequest).</summary>
    public void Abandon(Exchange exchange)
    {
        RemoveOutstanding(exchange);
        exchange.Abandoned = true;
    }

    /// <summary>The client closes its side (after an abandoned request, or an idle timeout): a FIN to the server.</summary>
    public void CloseByClient()
    {
        if (Client == ClientPhase.Closed) return;
        var wasDialing = Client == ClientPhase.Dialing;
        Client = ClientPhase.Closed;
        FailOutstanding(null);
        long now = world.Now;
        if (!wasDialing && ServerSide is ServerPhase.Backlog or ServerPhase.Accepted && StateAt(now) == BreakKind.None)
        {
            long arrival = path.Deliver(now, Tcp);
            if (arrival != Lost) Schedule(arrival, FlowTimer.FinAtServer);
        }
        TryUnregister();
    }

    /// <summary>The flow went idle in the client's pool: arm a keep-alive (or ping) verdict if a middlebox will forget it.</summary>
    public void EnterIdle()
    {
        long now = world.Now;
        idleGeneration++;
        IdleSince = now;
        var (expiry, mode) = breaks.IdleExpiry(path, LastActivity);
        if (mode != BreakKind.None) ScheduleVerdict(expiry, mode);
    }

    /// <summary>The flow leaves the client's idle pool to carry a request.</summary>
    public void LeaveIdle() => idleGeneration++;

    /// <summary>
    /// Schedules the moment the client's keep-alive probes find a path that broke at <paramref name="brokenAt"/>: an
    /// unanswered probe is retried Count times, Interval apart (silent); a reset answers the first probe (RST).
    /// HTTP/2 connections are also watched by their ping health check (<see cref="OnHealthCheck"/>).
    /// </summary>
    private void ScheduleVerdict(long brokenAt, BreakKind mode)
    {
        if (MiddleboxKeepAlive.DeadAt(KeepAlive, new Instant(LastActivity), new Instant(brokenAt), mode == BreakKind.Rst,
                TimeSpan.FromTicks(Rtt)) is not Instant verdict) return;
        world.Sim.ScheduleAt(Math.Max(verdict.Ticks, world.Now), new IdleVerdict(this, idleGeneration), 0);
    }

    // ---- server side ----------------------------------------------------------------------------------------------

    /// <summary>Sends a response. Lost if the path broke meanwhile: the client then waits for its deadline.</summary>
    public void Respond(Exchange exchange)
    {
        long now = world.Now;
        var state = StateAt(now);
        LastActivity = now;
        if (state != BreakKind.None) return;
        long arrival = path.Deliver(now, Tcp);
        if (arrival == Lost) return;
        exchange.ArriveAtClientAt(arrival);
    }

    /// <summary>
    /// The server closes its side: a FIN (idle timeout, done with a hung-up client) or a reset (a restart, a write
    /// timeout). The client learns it when the packet arrives, if the path still carries it.
    /// </summary>
    public void CloseByServer(bool reset)
    {
        if (ServerSide == ServerPhase.Closed) return;
        ServerEnd.MarkClosed();
        long now = world.Now;
        if (Client != ClientPhase.Closed && StateAt(now) == BreakKind.None)
        {
            long arrival = path.Deliver(now, Tcp);
            if (arrival != Lost) Schedule(arrival, reset ? FlowTimer.ResetAtClient : FlowTimer.CloseAtClient);
        }
        TryUnregister();
    }

    /// <summary>Resets the flow at once in both directions (a restart): the client learns after the path delay.</summary>
    public void ResetByRestart()
    {
        if (ServerSide != ServerPhase.Closed) CloseByServer(reset: true);
    }

    /// <summary>Resets the client side at once (a balancer in the middle lost the flow): the client learns after its half of the path.</summary>
    public void ResetClientSide()
    {
        if (Client == ClientPhase.Closed) return;
        Schedule(world.Now + path.First.OneWay, FlowTimer.ResetAtClient);
    }

    // ---- breaks ---------------------------------------------------------------------------------------------------

    /// <summary>The path forgets the flow now (a fault). Idle flows are then found by keep-alive probes, if any.</summary>
    public void Break(BreakKind kind)
    {
        if (FullyClosed || !breaks.Break(kind)) return;
        if (Client == ClientPhase.Open && Outstanding == 0) ScheduleVerdict(world.Now, kind);
    }

    public bool IsIdle => Outstanding == 0 && ServerEnd.Active == 0;

    /// <summary>Whether packets sent now get through: a fault's break, or a middlebox that timed the flow out.</summary>
    public BreakKind StateAt(long now) => breaks.StateAt(path, now, LastActivity);

    private void RegisterRandomBreak()
    {
        ScheduleRandomBreak(path.First);
        if (path.Second is not null) ScheduleRandomBreak(path.Second);
    }

    private void ScheduleRandomBreak(Link link)
    {
        if (link.Breaks is not RandomBreaks breaks) return;
        long from = Math.Max(world.Now, breaks.Start);
        if (from >= breaks.Stop) return;
        double wait = -Math.Log(1 - breaks.Random.NextDouble()) / breaks.RatePerTick;
        if (double.IsNaN(wait) || from + wait >= breaks.Stop) return;
        long at = from + (long)wait;
        Schedule(at, breaks.Mode == MiddleboxMode.Rst ? FlowTimer.RandomResetBreak : FlowTimer.RandomSilentBreak);
    }

    public const long Lost = FlowPath.Lost;

    // ---- outstanding exchanges ------------------------------------------------------------------------------------

    private void AddOutstanding(Exchange exchange)
    {
        exchange.NextOutstanding = outstandingHead;
        exchange.PrevOutstanding = null;
        if (outstandingHead is not null) outstandingHead.PrevOutstanding = exchange;
        outstandingHead = exchange;
        exchange.IsOutstanding = true;
        Outstanding++;
    }

    /// <summary>A response arrived: the exchange leaves the outstanding list. False if the client stopped waiting.</summary>
    public bool TakeResponse(Exchange exchange)
    {
        if (!exchange.IsOutstanding || Client == ClientPhase.Closed) return false;
        RemoveOutstanding(exchange);
        LastActivity = LastReceived = world.Now;
        return true;
    }

    private void RemoveOutstanding(Exchange exchange)
    {
        if (!exchange.IsOutstanding) return;
        if (exchange.PrevOutstanding is not null) exchange.PrevOutstanding.NextOutstanding = exchange.NextOutstanding;
        else outstandingHead = exchange.NextOutstanding;
        if (exchange.NextOutstanding is not null) exchange.NextOutstanding.PrevOutstanding = exchange.PrevOutstanding;
        exchange.NextOutstanding = exchange.PrevOutstanding = null;
        exchange.IsOutstanding = false;
        Outstanding--;
    }

    /// <summary>Fails every outstanding exchange (their clients hear <paramref name="failure"/>; null: silently dropped).</summary>
    private void FailOutstanding(Failure? failure)
    {
        while (outstandingHead is Exchange exchange)
        {
            RemoveOutstanding(exchange);
            if (failure is not null) exchange.Client.OnExchangeFailed(exchange, failure);
        }
    }

    // ---- events ---------------------------------------------------------------------------------------------------

    private void Schedule(long at, FlowTimer timer) => world.Sim.ScheduleAt(at, this, (long)timer);

    public void OnTimer(long token)
    {
        switch ((FlowTimer)token)
        {
            case FlowTimer.SynArrives: OnSynArrived(); break;
            case FlowTimer.SynRetransmit: OnSynRetransmitDue(); break;
            case FlowTimer.Established: OnEstablished(); break;
            case FlowTimer.TlsDone: OnEstablished(tlsDone: true); break;
            case FlowTimer.Refused: FailDial(Failure.ConnectionRefused); break;
            case FlowTimer.FinAtServer: OnFinAtServer(); break;
            case FlowTimer.CloseAtClient: LoseAtClient(Failure.UnexpectedEof); break;
            case FlowTimer.ResetAtClient: LoseAtClient(Failure.ConnectionReset); break;
            case FlowTimer.RandomSilentBreak: Break(BreakKind.Silent); break;
            case FlowTimer.RandomResetBreak: Break(BreakKind.Rst); break;
            case FlowTimer.HealthCheck: OnHealthCheck(); break;
            case FlowTimer.PingLost: LoseAtClient(Failure.Http2ConnectionLost); break;
        }
    }

    /// <summary>
    /// A keep-alive (or ping) verdict armed when the flow went idle: it stands only if the flow has stayed idle since,
    /// in the same idle period (<paramref name="generation"/>), with nothing outstanding.
    /// </summary>
    private void OnIdleVerdict(long generation)
    {
        if (generation == idleGeneration && Client == ClientPhase.Open && Outstanding == 0) LoseAtClient(null);
    }

    /// <summary>The timer of one idle verdict: which idle period of which flow it judges.</summary>
    private sealed class IdleVerdict(Flow flow, long generation) : ITimerHandler
    {
        public void OnTimer(long token) => flow.OnIdleVerdict(generation);
    }

    /// <summary>
    /// HTTP/2's ping health check (x/net ReadIdleTimeout, then PingTimeout): after a quiet read-idle period a ping
    /// goes out; its answer refreshes middleboxes, its absence closes the connection.
    /// </summary>
    private void OnHealthCheck()
    {
        if (Client != ClientPhase.Open) return;
        var h2 = Http2Health!.Value;
        long now = world.Now;
        if (now - LastReceived < h2.ReadIdleTimeout)
        {
            Schedule(LastReceived + h2.ReadIdleTimeout, FlowTimer.HealthCheck);
            return;
        }
        var state = StateAt(now);
        if (state == BreakKind.None && path.Deliver(now, Tcp) != Lost)
        {
            LastActivity = now;
            LastReceived = now + Rtt;
            Schedule(LastReceived + h2.ReadIdleTimeout, FlowTimer.HealthCheck);
            return;
        }
        Schedule(now + (state == BreakKind.Rst ? Rtt : h2.PingTimeout), FlowTimer.PingLost);
    }

    /// <summary>HTTP/2: the client resets one stream (RST_STREAM); the server cancels that request when it arrives.</summary>
    public void ResetStream(Exchange exchange)
    {
        RemoveOutstanding(exchange);
        exchange.Abandoned = true;
        long now = world.Now;
        if (StateAt(now) != BreakKind.None) return;
        long arrival = path.Deliver(now, Tcp);
        if (arrival != Lost) exchange.CancelAtServerAt(arrival);
    }

    private void OnFinAtServer()
    {
        ClientFinAtServer = true;
        Server?.OnClientFin(this);
    }

    /// <summary>The client learns its connection is gone: outstanding requests fail, the owner drops it.</summary>
    private void LoseAtClient(Failure? failure)
    {
        if (Client == ClientPhase.Closed) return;
        if (Client == ClientPhase.Dialing)
        {
            FailDial(failure ?? Failure.ConnectionReset);
            return;
        }
        Client = ClientPhase.Closed;
        FailOutstanding(failure ?? Failure.RetransmitTimedOut);
        TryUnregister();
        Owner.OnFlowLost(this);
    }

    private void TryUnregister()
    {
        if (!FullyClosed) return;
        path.Unregister();
        Server?.Untrack(this);
        Via?.Untrack(this);
    }

    /// <summary>A link moved this flow to another slot of its list of flows.</summary>
    public void OnLinkSlotMoved(Link link, int slot) => path.MovedTo(link, slot);

    public override string ToString() => $"flow {Id}";
}

/// <summary>What a server answers to a SYN.</summary>
internal enum SynVerdict
{
    Accepted,
    Queued,

    /// <summary>The accept backlog is full: the SYN is dropped and the client retransmits.</summary>
    Dropped,

    /// <summary>Nothing listens: a reset.</summary>
    Refused,
}

internal static class SynVerdicts
{
    public static SynVerdict From(Admission admission) => admission switch
    {
        Admission.Accepted => SynVerdict.Accepted,
        Admission.Queued => SynVerdict.Queued,
        _ => SynVerdict.Dropped,
    };
}

/// <summary>An HTTP/2 client's ping health check (x/net http2 ReadIdleTimeout and PingTimeout), in ticks.</summary>
internal readonly record struct Http2Health(long ReadIdleTimeout, long PingTimeout);
