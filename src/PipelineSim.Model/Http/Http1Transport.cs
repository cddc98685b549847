using PipelineSim.Core.Options;
using PipelineSim.Core.Pooling;
using PipelineSim.Core.Time;
using PipelineSim.Kernel;
using PipelineSim.Model.Net;
using PipelineSim.Model.Runtime;

namespace PipelineSim.Model.Http;

/// <summary>
/// Go's <c>http.Transport</c> for HTTP/1.1 to one host: one request per connection at a time, Core's
/// <see cref="IdleConnectionPool{TConn}"/> for idle connections (LIFO, MaxIdleConnsPerHost, IdleConnTimeout), and
/// Go's wantConn queue. A request that finds no idle connection dials one and also waits for any connection that
/// frees up first; a dial is not tied to its request (Go ≥ 1.23), so one that completes after the request gave up
/// serves the next waiter or goes to the pool, unless keep-alives are off: then it is closed (<see cref="FreeConnection"/>).
/// </summary>
internal sealed class Http1Transport : IRequestTransport, IFlowOwner, ITimerHandler
{
    private readonly World world;
    private readonly IDialTarget target;
    private readonly TcpKeepAliveOptions keepAlive;
    private readonly bool tls;
    private readonly bool keepAlives;
    private readonly IdleConnectionPool<Flow> pool;
    // Made when a request first waits and dropped once drained: an agent's own transport has a request waiting only
    // while it dials, and every hand-over would otherwise load the empty queue (a cache miss per push at 100,000 agents).
    private Queue<(IConnWaiter Waiter, long Tag)>? waiters;
    private readonly List<Flow> scratch;
    private readonly ConnectionTally tally;
    private Flow? lastPooled; // the connection most likely taken next (LIFO), for prefetching only: it may have left the pool since
    private bool poolTimerPending;
    private int open, idleReported;

    /// <param name="tally">The endpoint's sums over all its transports, kept up to date here so sampling them costs nothing per agent.</param>
    public Http1Transport(World world, string clientName, IDialTarget target, HttpTransportOptions options, bool tls, ConnectionTally tally)
    {
        this.tally = tally;
        this.world = world;
        ClientName = clientName;
        this.target = target;
        this.tls = tls;
        scratch = world.Scratch;
        keepAlives = FreeConnection.MayBeReused(options);
        keepAlive = options.KeepAlive;
        pool = new IdleConnectionPool<Flow>(options.MaxIdleConnsPerHost, options.IdleConnTimeout);
    }

    public string ClientName { get; }

    public int Open => open;

    public int Idle => pool.Count;

    public void Acquire(IConnWaiter waiter, long tag)
    {
        var now = new Instant(world.Now);
        bool found = pool.TryTake(now, out var flow, out var idleFor, scratch);
        ReportIdle();
        CloseAll(scratch);
        if (found)
        {
            flow!.LeaveIdle();
            waiter.OnConnection(flow, reused: true, idleFor.Ticks);
            return;
        }
        // Without keep-alives Go's queueForIdleConn does not queue: the request waits for its own dial only.
        if (keepAlives) (waiters ??= new Queue<(IConnWaiter, long)>()).Enqueue((waiter, tag));
        var dial = new Flow(world, this, target, keepAlive, tls, null) { Dialer = waiter, DialerTag = tag };
        dial.Dial();
    }

    public void Prefetch(int depth)
    {
        if (depth > 0) return;
        CacheHint.Prefetch(pool);
        CacheHint.Prefetch(lastPooled, HotBytes.Flow);
    }

    public void Release(Flow flow)
    {
        if (flow.Client != ClientPhase.Open) return;
        if (keepAlives) HandOver(flow, reused: true);
        else Discard(flow); // DisableKeepAlives: one request per connection, then it closes
    }

    public void Abandon(Flow flow, Exchange exchange)
    {
        flow.Abandon(exchange);
        Discard(flow);
    }

    public void Discard(Flow flow)
    {
        if (flow.Client != ClientPhase.Open) return;
        flow.CloseByClient();
        AddOpen(-1);
    }

    void IFlowOwner.OnEstablished(Flow flow)
    {
        AddOpen(1);
        if (flow.Dialer is IConnWaiter dialer && dialer.IsWaiting(flow.DialerTag))
        {
            dialer.OnConnection(flow, reused: false, 0);
            return;
        }
        // The request gave up while the dial went on (a detached dial).
        if (keepAlives) HandOver(flow, reused: false);
        else Discard(flow);
    }

    void IFlowOwner.OnDialFailed(Flow flow, Failure failure)
    {
        // Go delivers a dial's error to the request that asked for it, if that one still waits.
        if (flow.Dialer is IConnWaiter dialer && dialer.IsWaiting(flow.DialerTag)) dialer.OnDialFailed(failure);
    }

    void IFlowOwner.OnFlowLost(Flow flow)
    {
        pool.Remove(flow);
        ReportIdle();
        AddOpen(-1);
    }

    /// <summary>A free connection goes to the oldest request still waiting, else to the idle pool (closed if full).</summary>
    private void HandOver(Flow flow, bool reused)
    {
        while (waiters is not null && waiters.TryDequeue(out var entry))
        {
            if (waiters.Count == 0) waiters = null; // drained: the next hand-over need not load it
            if (!entry.Waiter.IsWaiting(entry.Tag)) continue;
            entry.Waiter.OnConnection(flow, reused, 0);
            return;
        }
        var now = new Instant(world.Now);
        bool kept = pool.Return(flow, now, scratch);
        ReportIdle();
        CloseAll(scratch);
        if (!kept)
        {
            Discard(flow);
            return;
        }
        flow.EnterIdle();
        lastPooled = flow;
        ArmPoolTimer();
    }

    private void ArmPoolTimer()
    {
        if (poolTimerPending || pool.NextExpiry is not Instant due) return;
        poolTimerPending = true;
        world.Sim.ScheduleAt(Math.Max(due.Ticks, world.Now), this, 0);
    }

    /// <summary>Go's per-connection idle timer: connections idle for IdleConnTimeout are closed.</summary>
    public void OnTimer(long token)
    {
        poolTimerPending = false;
        pool.EvictExpired(new Instant(world.Now), scratch);
        ReportIdle();
        CloseAll(scratch);
        ArmPoolTimer();
    }

    private void AddOpen(int delta)
    {
        open += delta;
        tally.Open += delta;
    }

    /// <summary>Passes a change of the pool's size on to the endpoint's tally; called after every pool operation.</summary>
    private void ReportIdle()
    {
        tally.Idle += pool.Count - idleReported;
        idleReported = pool.Count;
    }

    private void CloseAll(List<Flow> flows)
    {
        foreach (var flow in flows) Discard(flow);
        flows.Clear();
    }
}
