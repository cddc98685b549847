using PipelineSim.Core.Connect;
using PipelineSim.Core.Server;
using PipelineSim.Kernel;
using PipelineSim.Model.Http;
using PipelineSim.Model.Net;
using PipelineSim.Model.Runtime;
using PipelineSim.Spec;

namespace PipelineSim.Model.Components;

/// <summary>
/// A Pyroscope server: a concurrency limit with a bounded FIFO queue, a service time drawn per push, error rates by
/// code, a token-bucket rate limit answering <c>resource_exhausted</c>, and outage windows. A push it serves is
/// ingested even if the client has gone meanwhile (which is how retries make duplicates).
/// </summary>
internal sealed class Backend : HttpServer
{
    private const BackendSlot None = BackendSlot.None, Queued = BackendSlot.Queued, Serving = BackendSlot.Serving,
        Hanging = BackendSlot.Hanging;

    private readonly BackendSpec spec;
    private readonly RandomStream random;
    private readonly Queue<Exchange> queue = new();
    private readonly List<OutageSpec> outages;
    private double tokens;
    private long tokensAt;
    private int epoch;

    public Backend(World world, BackendSpec spec, IEnumerable<OutageSpec> extraOutages)
        : base(world, spec.Name, connLimit: 0, backlogCapacity: int.MaxValue,
            GoServerTimeouts.Backend(spec.ServerIdleTimeout, spec.ServerWriteTimeout), spec.KeepAlive)
    {
        this.spec = spec;
        random = world.Random["backend/" + spec.Name];
        outages = [.. spec.Outages.Concat(extraOutages).OrderBy(o => o.Start)];
        tokens = spec.RateLimit?.Burst ?? 0;
    }

    public IReadOnlyList<OutageSpec> Outages => outages;

    public int ServingCount { get; private set; }

    public int QueuedCount => queue.Count;

    public long Ingested { get; private set; }

    public long Rejected { get; private set; }

    protected override void Handle(Exchange exchange, bool canceled)
    {
        if (canceled)
        {
            Complete(exchange, ConnectCode.Canceled, Failure.Canceled);
            return;
        }
        if (OutageAt(World.Now) is OutageMode mode && mode != OutageMode.Refuse)
        {
            if (mode == OutageMode.Unavailable) Reject(exchange, ConnectCode.Unavailable);
            else exchange.ServerState = Hanging;
            return;
        }
        if (!TakeTokens(exchange))
        {
            Reject(exchange, ConnectCode.ResourceExhausted);
            return;
        }
        if (spec.Concurrency == 0 || ServingCount < spec.Concurrency) Serve(exchange);
        else if (queue.Count < spec.QueueCapacity)
        {
            exchange.ServerState = Queued;
            queue.Enqueue(exchange);
        }
        else Reject(exchange, spec.QueueFullCode);
    }

    private void Reject(Exchange exchange, ConnectCode code)
    {
        Rejected++;
        Complete(exchange, code, Failure.OfCode(code));
    }

    private void Serve(Exchange exchange)
    {
        ServingCount++;
        exchange.ServerState = Serving;
        exchange.ServerEpoch = epoch;
        double seconds = Math.Max(0, spec.Latency.Sample(random));
        exchange.ScheduleServerWork(World.Now + (long)(seconds * TimeSpan.TicksPerSecond));
    }

    public override void OnWorkTimer(Exchange exchange)
    {
        if (exchange.ServerEpoch != epoch || exchange.ServerState != Serving) return;
        exchange.ServerState = None;
        ServingCount--;
        var code = DrawOutcome();
        if (code == ConnectCode.Ok)
        {
            Ingested++;
            var payload = exchange.Payload;
            payload.Batch.MarkIngested(payload.SeriesOffset, payload.SeriesCount, World.Books);
            Complete(exchange, ConnectCode.Ok, null);
        }
        else
        {
            Complete(exchange, code, Failure.OfCode(code));
        }
        ServeNext();
    }

    private ConnectCode DrawOutcome()
    {
        var errors = spec.Errors;
        if (errors.Count == 0) return ConnectCode.Ok;
        double u = random.NextDouble(), cumulative = 0;
        for (int i = 0; i < errors.Count; i++) // indexed: a foreach over the interface would allocate per push
        {
            cumulative += errors[i].Probability;
            if (u < cumulative) return errors[i].Code;
        }
        return ConnectCode.Ok;
    }

    private void ServeNext()
    {
        while (queue.Count > 0 && (spec.Concurrency == 0 || ServingCount < spec.Concurrency))
        {
            var next = queue.Dequeue();
            if (next.ServerState == Queued) Serve(next);
        }
    }

    /// <summary>A refusing outage begins: connections are reset and nothing listens until <paramref name="until"/>.</summary>
    public void BeginRefusal(long until)
    {
        RefuseUntil(until);
        ResetAll();
    }

    protected override void Cancel(Exchange exchange)
    {
        // Queued or hanging: dropped, the answer goes nowhere. Serving: the work finishes and is ingested anyway.
        if (exchange.ServerState is Queued or Hanging)
        {
            exchange.ServerState = None;
            Complete(exchange, ConnectCode.Canceled, Failure.Canceled);
        }
    }

    protected override void OnReset()
    {
        epoch++;
        queue.Clear();
        ServingCount = 0;
    }

    /// <summary>Token bucket: refilled at Rate per second up to Burst; a push takes 1 (requests) or its bytes.</summary>
    private bool TakeTokens(Exchange exchange)
    {
        if (spec.RateLimit is not RateLimitSpec limit) return true;
        long now = World.Now;
        tokens = Math.Min(limit.Burst, tokens + (now - tokensAt) / (double)TimeSpan.TicksPerSecond * limit.Rate);
        tokensAt = now;
        double cost = limit.Unit == RateLimitUnit.Bytes ? exchange.Payload.Bytes : 1;
        if (tokens < cost) return false;
        tokens -= cost;
        return true;
    }

    public OutageMode? OutageAt(long now)
    {
        foreach (var outage in outages)
        {
            long start = outage.Start.Ticks;
            if (now >= start && now < start + outage.Duration.Ticks) return outage.Mode;
        }
        return null;
    }
}
