using PipelineSim.Core.Options;
using PipelineSim.Model.Net;
using PipelineSim.Model.Runtime;

namespace PipelineSim.Model.Http;

/// <summary>
/// Go's HTTP/2 client connection pool for one host (x/net http2): requests are multiplexed as streams on one
/// connection while it has room (the server's max concurrent streams); a request that times out resets only its
/// stream, and a silently dead connection is found by the ping health check (ReadIdleTimeout, then PingTimeout),
/// not by the requests that hang on it.
/// </summary>
internal sealed class Http2Transport : IRequestTransport, IFlowOwner
{
    private readonly World world;
    private readonly IDialTarget target;
    private readonly TcpKeepAliveOptions keepAlive;
    private readonly Http2Health health;
    private readonly int maxStreams;
    private readonly List<Flow> conns = [];
    private readonly Queue<(IConnWaiter Waiter, long Tag)> waiters = new();
    private Flow? dialing;

    public Http2Transport(World world, string clientName, IDialTarget target, HttpTransportOptions options, int maxStreams)
    {
        this.world = world;
        ClientName = clientName;
        this.target = target;
        keepAlive = options.KeepAlive;
        health = new Http2Health(options.Http2ReadIdleTimeout.Ticks, options.Http2PingTimeout.Ticks);
        this.maxStreams = maxStreams;
    }

    public string ClientName { get; }

    public int Open => conns.Count;

    public int Idle
    {
        get
        {
            int idle = 0;
            foreach (var conn in conns) if (conn.Outstanding == 0) idle++;
            return idle;
        }
    }

    public void Acquire(IConnWaiter waiter, long tag)
    {
        foreach (var conn in conns)
        {
            if (conn.Client == ClientPhase.Open && conn.Outstanding < maxStreams)
            {
                waiter.OnConnection(conn, reused: conn.HasCarried, 0);
                return;
            }
        }
        waiters.Enqueue((waiter, tag));
        if (dialing is null)
        {
            dialing = new Flow(world, this, target, keepAlive, tls: true, health) { Dialer = waiter, DialerTag = tag };
            dialing.Dial();
        }
    }

    public void Release(Flow flow)
    {
    }

    public void Abandon(Flow flow, Exchange exchange) => flow.ResetStream(exchange);

    public void Discard(Flow flow)
    {
        if (flow.Client != ClientPhase.Open) return;
        flow.CloseByClient();
        conns.Remove(flow);
    }

    void IFlowOwner.OnEstablished(Flow flow)
    {
        dialing = null;
        conns.Add(flow);
        while (flow.Outstanding < maxStreams && waiters.TryDequeue(out var entry))
        {
            if (entry.Waiter.IsWaiting(entry.Tag)) entry.Waiter.OnConnection(flow, reused: false, 0);
        }
        // More waiters than streams: another connection.
        if (waiters.Count > 0 && waiters.Peek() is var next)
        {
            dialing = new Flow(world, this, target, keepAlive, tls: true, health) { Dialer = next.Waiter, DialerTag = next.Tag };
            dialing.Dial();
        }
    }

    void IFlowOwner.OnDialFailed(Flow flow, Failure failure)
    {
        dialing = null;
        // Every request waiting for this connection gets the dial error, as they all shared it.
        while (waiters.TryDequeue(out var entry))
        {
            if (entry.Waiter.IsWaiting(entry.Tag)) entry.Waiter.OnDialFailed(failure);
        }
    }

    void IFlowOwner.OnFlowLost(Flow flow) => conns.Remove(flow);
}
