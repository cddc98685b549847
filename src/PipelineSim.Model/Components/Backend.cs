using PipelineSim.Core.Backend;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Time;
using PipelineSim.Core.Server;
using PipelineSim.Kernel;
using PipelineSim.Model.Http;
using PipelineSim.Model.Net;
using PipelineSim.Model.Runtime;
using PipelineSim.Spec;

namespace PipelineSim.Model.Components;

/// <summary>
/// A Pyroscope server driven in virtual time: Core's <see cref="BackendAdmission{T}"/> decides admission and answers
/// (outage windows, token bucket, serving slots and the bounded FIFO queue, the error draw); this class supplies the
/// clock, the service time drawn per push, and the exchanges. A push it serves is ingested even if the client has
/// gone meanwhile (which is how retries make duplicates).
/// </summary>
internal sealed class Backend : HttpServer
{
    private const BackendSlot None = BackendSlot.None, Queued = BackendSlot.Queued, Serving = BackendSlot.Serving,
        Hanging = BackendSlot.Hanging;

    private readonly BackendSpec spec;
    private readonly RandomStream random;
    private readonly Func<double> uniform;
    private readonly BackendAdmission<Exchange> admission;
    private int epoch;

    public Backend(World world, BackendSpec spec, IEnumerable<OutageSpec> extraOutages)
        : base(world, spec.Name, connLimit: 0, backlogCapacity: int.MaxValue,
            GoServerTimeouts.Backend(spec.ServerReadTimeout, spec.ServerWriteTimeout, spec.ServerIdleTimeout), spec.KeepAlive)
    {
        this.spec = spec;
        random = world.Random["backend/" + spec.Name];
        uniform = random.NextDouble;
        admission = new BackendAdmission<Exchange>(spec.ToRules(extraOutages));
    }

    public IReadOnlyList<OutageWindow> Outages => admission.Rules.Outages;

    public int ServingCount => admission.Serving;

    public int QueuedCount => admission.Queued;

    public long Ingested { get; private set; }

    public long Rejected { get; private set; }

    protected override void Handle(Exchange exchange, bool canceled)
    {
        if (canceled)
        {
            Complete(exchange, ConnectCode.Canceled, Failure.Canceled);
            return;
        }
        var verdict = admission.Arrive(new Instant(World.Now), exchange, exchange.Payload.Bytes);
        switch (verdict.Step)
        {
            case BackendStep.Serve:
                StartService(exchange);
                break;
            case BackendStep.Queue:
                exchange.ServerState = Queued;
                break;
            case BackendStep.Hang:
                exchange.ServerState = Hanging;
                break;
            default:
                Rejected++;
                Complete(exchange, verdict.Code, Failure.OfCode(verdict.Code));
                break;
        }
    }

    /// <summary>The exchange holds a serving slot: its service time is drawn now.</summary>
    private void StartService(Exchange exchange)
    {
        exchange.ServerState = Serving;
        exchange.ServerEpoch = epoch;
        double seconds = Math.Max(0, spec.Latency.Sample(random));
        exchange.ScheduleServerWork(World.Now + (long)(seconds * TimeSpan.TicksPerSecond));
    }

    public override void OnWorkTimer(Exchange exchange)
    {
        if (exchange.ServerEpoch != epoch || exchange.ServerState != Serving) return;
        exchange.ServerState = None;
        var code = admission.DrawAnswer(uniform);
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
        if (admission.Finish(out var next)) StartService(next);
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
            // A queued push leaves the queue at once: it holds no queue_capacity place and no longer counts as queued.
            if (exchange.ServerState == Queued) admission.Withdraw(exchange);
            exchange.ServerState = None;
            Complete(exchange, ConnectCode.Canceled, Failure.Canceled);
        }
    }

    protected override void OnReset()
    {
        epoch++;
        admission.Reset();
    }
}
