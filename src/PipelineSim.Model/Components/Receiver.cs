using PipelineSim.Core.Server;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Time;
using PipelineSim.Kernel;
using PipelineSim.Model.Http;
using PipelineSim.Model.Net;
using PipelineSim.Model.Runtime;
using PipelineSim.Spec;

namespace PipelineSim.Model.Components;

/// <summary>
/// <c>pyroscope.receive_http</c>: a Go server with conn_limit (LimitListener over the accept backlog) whose Push
/// handler forwards every series of a request to each forward_to writer, with the request's deadline from
/// Connect-Timeout-Ms, and answers 500 <c>internal</c> if any of them failed.
/// </summary>
internal sealed class Receiver : HttpServer
{
    private readonly ReceiverSpec spec;
    private readonly RandomStream random;
    private readonly RandomStream hangUpRace;
    private readonly RequestBodyLimit bodyLimit;
    private readonly Failure bodyTooLarge;

    public Receiver(World world, ReceiverSpec spec)
        : base(world, spec.Name, spec.Http.ConnLimit, spec.AcceptBacklog, GoServerTimeouts.From(spec.Http), spec.KeepAlive)
    {
        this.spec = spec;
        random = world.Random["receiver/" + spec.Name];
        hangUpRace = world.Random["receiver/" + spec.Name + "/hung-up-race"];
        bodyLimit = spec.BodyLimit;
        bodyTooLarge = Failure.Of(bodyLimit.Refusal());
    }

    /// <summary>Set once every component exists (forward_to may name writers built later).</summary>
    public WriterInstance[] Targets { get; set; } = [];

    protected override void Handle(Exchange exchange, bool canceled)
    {
        if (!bodyLimit.Admits(exchange.Payload.Bytes))
        {
            // Refused while its body is read, before any decoding or forwarding, as the live receiver does (Core's
            // RequestBodyLimit); a client that had hung up gets nothing, and its request is not forwarded.
            if (canceled) HungUpClients.OnEndedBeforeForward();
            Complete(exchange, RequestBodyLimit.Code, bodyTooLarge);
            return;
        }
        long? decode = spec.HandlerTime is { } handlerTime
            ? Math.Max(0, (long)(handlerTime.Sample(random) * TimeSpan.TicksPerSecond))
            : null;
        if (canceled && !exchange.Flow.Http2)
        {
            // Read after its client hung up (it waited in the backlog): Go starts the handler, and Core decides whether
            // it forwards before the background read cancels its context. HTTP/2's frame reader is not modelled so.
            var started = new Instant(World.Now);
            canceled = !HungUpClients.OnHandlerStarted(started, started + TimeSpan.FromTicks(decode ?? 0), hangUpRace.NextDouble());
        }
        var request = new ReceiverRequest(this, exchange, canceled);
        exchange.Work = request;
        if (decode is long ticks) exchange.ScheduleServerWork(World.Now + ticks);
        else request.Forward();
    }

    public override void OnWorkTimer(Exchange exchange) => ((ReceiverRequest)exchange.Work!).Forward();

    protected override void Cancel(Exchange exchange) => exchange.Work!.Cancel();

    internal void Finish(ReceiverRequest request) =>
        Complete(request.Exchange, request.Failed ? ConnectCode.Internal : ConnectCode.Ok, request.Failed ? Failure.ForwardFailed : null);

    internal long Now => World.Now;
}

/// <summary>
/// One Push request being handled: one forwarding per target, running in parallel, each sending the series in order.
/// The request is itself the first target's caller, so the common single-target request is one object: fewer cold
/// objects to reach when its pushes finish, at 100,000 agents the cost of a push is its cache misses.
/// </summary>
internal sealed class ReceiverRequest : IPushContext, IServerWork, IPushCaller
{
    private readonly Receiver receiver;
    private Forwarding first;
    private readonly OtherTarget[]? others; // targets beyond the first; most receivers forward to one writer
    private int pending;

    public ReceiverRequest(Receiver receiver, Exchange exchange, bool canceled)
    {
        this.receiver = receiver;
        Exchange = exchange;
        IsCanceled = canceled;
        // connect-go derives the handler's deadline from the header when the handler starts.
        Deadline = ConnectTimeout.DecodeMillis(exchange.TimeoutMillis, new Instant(receiver.Now));
        var targets = receiver.Targets;
        pending = targets.Length;
        if (targets.Length == 0) return;
        first = new Forwarding(targets[0]);
        if (targets.Length > 1)
        {
            others = new OtherTarget[targets.Length - 1];
            for (int i = 1; i < targets.Length; i++) others[i - 1] = new OtherTarget(this, targets[i]);
        }
    }

    public Exchange Exchange { get; }

    public Deadline Deadline { get; }

    public bool IsCanceled { get; private set; }

    public bool Failed { get; private set; }

    public void Forward()
    {
        if (pending == 0)
        {
            receiver.Finish(this);
            return;
        }
        Next(ref first, this);
        if (others is not null) foreach (var other in others) Next(ref other.Forwarding, other);
    }

    public void Cancel()
    {
        if (IsCanceled) return;
        IsCanceled = true;
        first.Current?.Cancel();
        if (others is not null) foreach (var other in others) other.Forwarding.Current?.Cancel();
    }

    /// <summary>A push is about to end; the request's own answer may follow, on its exchange's flow.</summary>
    public void PrefetchWriteDone(int depth)
    {
        switch (depth)
        {
            case 0: CacheHint.Prefetch(Exchange, HotBytes.Exchange); break;
            case 1: CacheHint.Prefetch(Exchange.Flow, HotBytes.Flow); break;
            case 2: CacheHint.Prefetch(Exchange.Flow.ServerEnd, HotBytes.ServerConnection); break;
        }
    }

    /// <summary>The first target's push finished.</summary>
    public void OnWriteDone(WritePush push) => OnWriteDone(ref first, push, this);

    private void OnWriteDone(ref Forwarding forwarding, WritePush push, IPushCaller caller)
    {
        if (!push.Delivered) forwarding.Failed = true;
        Next(ref forwarding, caller);
    }

    /// <summary>Sends the target's next series, or reports the target done when none is left.</summary>
    private void Next(ref Forwarding forwarding, IPushCaller caller)
    {
        var payload = Exchange.Payload;
        if (forwarding.NextSeries == payload.SeriesCount)
        {
            forwarding.Current = null;
            if (forwarding.Failed) Failed = true;
            if (--pending == 0) receiver.Finish(this);
            return;
        }
        // Alloy's appender keeps going after a failed series; errors are joined.
        var series = payload.Series(forwarding.NextSeries++, payload.PushId);
        forwarding.Current = forwarding.Writer.Push(caller, series, Deadline, this);
    }

    /// <summary>One forward_to target: the request's series pushed one after another (each its own Push of one series).</summary>
    private struct Forwarding(WriterInstance writer)
    {
        public readonly WriterInstance Writer = writer;
        public int NextSeries;
        public bool Failed;
        public WritePush? Current;
    }

    /// <summary>A target beyond the first: its own caller, so its pushes' answers find its forwarding.</summary>
    private sealed class OtherTarget(ReceiverRequest request, WriterInstance writer) : IPushCaller
    {
        public Forwarding Forwarding = new(writer);

        public void OnWriteDone(WritePush push) => request.OnWriteDone(ref Forwarding, push, this);
    }
}
