using PipelineSim.Core.Server;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Kernel;
using PipelineSim.Model.Http;
using PipelineSim.Model.Net;
using PipelineSim.Model.Runtime;
using PipelineSim.Spec;

namespace PipelineSim.Model.Components;

/// <summary>
/// An HTTP load balancer (Envoy, an ALB): it terminates client connections and sends each request to a target
/// (round robin, or fewest requests in flight) over its own pooled connections, headers (Connect-Timeout-Ms
/// included) passed through. A target's Connect error is relayed as is; its own failures are plain 502/503/504,
/// which connect-go clients read as <c>unavailable</c>. A client that hangs up cancels the upstream request.
/// </summary>
internal sealed class L7Balancer : HttpServer
{
    private readonly LoadBalancerSpec spec;
    private IRequestTransport[] pools = [];
    private int[] inFlight = [];
    private int next;

    public L7Balancer(World world, LoadBalancerSpec spec)
        : base(world, spec.Name, connLimit: 0, backlogCapacity: int.MaxValue,
            new GoServerTimeouts { Read = spec.IdleTimeout, Idle = spec.IdleTimeout },
            new TcpKeepAliveOptions { Enabled = false })
    {
        this.spec = spec;
    }

    public void SetTargets(IReadOnlyList<IDialTarget> targets)
    {
        var options = HttpTransportOptions.AlloyDefault with
        {
            IdleConnTimeout = spec.UpstreamIdleTimeout,
            KeepAlive = new TcpKeepAliveOptions { Enabled = false },
        };
        // The balancer's upstream pools are no writer's: nothing samples their tally.
        pools = [.. targets.Select(t => (IRequestTransport)new Http1Transport(World, Name, t, options, tls: false, new ConnectionTally()))];
        inFlight = new int[targets.Count];
    }

    internal World Sim => World;

    internal long? RequestTimeout => spec.RequestTimeout?.Ticks;

    protected override void Handle(Exchange exchange, bool canceled)
    {
        if (canceled || pools.Length == 0)
        {
            Complete(exchange, ConnectCode.Canceled, Failure.Canceled);
            return;
        }
        int target = Pick();
        inFlight[target]++;
        var upstream = new UpstreamRequest(this, exchange, target, pools[target]);
        exchange.Work = upstream;
        upstream.Start();
    }

    private int Pick()
    {
        int chosen = next;
        if (spec.Policy == BalancePolicy.LeastConnections)
        {
            for (int k = 1; k < inFlight.Length; k++)
            {
                int i = (next + k) % inFlight.Length;
                if (inFlight[i] < inFlight[chosen]) chosen = i;
            }
        }
        next = (chosen + 1) % pools.Length;
        return chosen;
    }

    protected override void Cancel(Exchange exchange) => exchange.Work!.Cancel();

    internal void Finish(UpstreamRequest upstream, ConnectCode code, Failure? failure)
    {
        inFlight[upstream.Target]--;
        Complete(upstream.Front, code, failure);
    }
}

/// <summary>One request relayed by an L7 balancer to one target.</summary>
internal sealed class UpstreamRequest : IConnWaiter, IExchangeClient, ITimerHandler, IServerWork
{
    private enum Phase : byte { Waiting, OnConnection, Done }

    private const long Tag = 1;

    private readonly L7Balancer balancer;
    private readonly IRequestTransport pool;
    private Phase phase;
    private Flow? flow;
    private Exchange? upstream;

    public UpstreamRequest(L7Balancer balancer, Exchange front, int target, IRequestTransport pool)
    {
        this.balancer = balancer;
        Front = front;
        Target = target;
        this.pool = pool;
    }

    public Exchange Front { get; }

    public int Target { get; }

    public void Start()
    {
        if (balancer.RequestTimeout is long timeout) balancer.Sim.Sim.ScheduleAfter(timeout, this, Tag);
        pool.Acquire(this, Tag);
    }

    public bool IsWaiting(long tag) => phase == Phase.Waiting && tag == Tag;

    public void OnConnection(Flow flow, bool reused, long idleTicks)
    {
        phase = Phase.OnConnection;
        this.flow = flow;
        upstream = new Exchange(balancer.Sim, flow, this, Front.Payload, Front.TimeoutMillis);
        flow.Send(upstream);
    }

    public void OnDialFailed(Failure failure) => Finish(ConnectCode.Unavailable, Failure.FromPlainStatus(503));

    public void OnResponse(Exchange exchange)
    {
        if (phase != Phase.OnConnection || !ReferenceEquals(exchange, upstream)) return;
        pool.Release(flow!);
        Finish(exchange.ResponseCode, exchange.ResponseFailure);
    }

    public void OnExchangeFailed(Exchange exchange, Failure failure)
    {
        if (phase != Phase.OnConnection || !ReferenceEquals(exchange, upstream)) return;
        pool.Discard(flow!);
        Finish(ConnectCode.Unavailable, Failure.FromPlainStatus(502));
    }

    /// <summary>The balancer's request timeout: the upstream request is abandoned and the client gets a 504.</summary>
    public void OnTimer(long token)
    {
        if (phase == Phase.Done) return;
        if (phase == Phase.OnConnection) pool.Abandon(flow!, upstream!);
        Finish(ConnectCode.Unavailable, Failure.FromPlainStatus(504));
    }

    public void Cancel()
    {
        if (phase == Phase.Done) return;
        if (phase == Phase.OnConnection) pool.Abandon(flow!, upstream!);
        Finish(ConnectCode.Canceled, Failure.Canceled);
    }

    private void Finish(ConnectCode code, Failure? failure)
    {
        if (phase == Phase.Done) return;
        phase = Phase.Done;
        balancer.Finish(this, code, failure);
    }
}
