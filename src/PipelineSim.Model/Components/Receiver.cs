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

/// <summary>One Push request being handled: one forwarding per target, running in parallel, each sending the series in order.</summary>
internal sealed class ReceiverRequest : IPushContext, IServerWork
{
    private readonly Receiver receiver;
    private readonly Forwarding[] forwardings;
    private int pending;

    public ReceiverRequest(Receiver receiver, Exchange exchange, bool canceled)
    {
        this.receiver = receiver;
        Exchange = exchange;
        IsCanceled = canceled;
        // connect-go derives the handler's deadline from the header when the handler starts.
        Deadline = ConnectTimeout.DecodeMillis(exchange.TimeoutMillis, new Instant(receiver.Now));
        var targets = receiver.Targets;
        forwardings = new Forwarding[targets.Length];
        for (int i = 0; i < targets.Length; i++) forwardings[i] = new Forwarding(this, targets[i]);
        pending = targets.Length;
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
        foreach (var forwarding in forwardings) forwarding.Next();
    }

    public void Cancel()
    {
        if (IsCanceled) return;
        IsCanceled = true;
        foreach (var forwarding in forwardings) forwarding.Current?.Cancel();
    }

    private void OnForwardingDone(bool failed)
    {
        if (failed) Failed = true;
        if (--pending == 0) receiver.Finish(this);
    }

    /// <summary>One forward_to target: the request's series pushed one after another (each its own Push of one series).</summary>
    private sealed class Forwarding : IPushCaller
    {
        private readonly ReceiverRequest request;
        private readonly WriterInstance writer;
        private int nextSeries;
        private bool failed;

        public Forwarding(ReceiverRequest request, WriterInstance writer)
        {
            this.request = request;
            this.writer = writer;
        }

        public WritePush? Current { get; private set; }

        public void Next()
        {
            var payload = request.Exchange.Payload;
            if (nextSeries == payload.SeriesCount)
            {
                Current = null;
                request.OnForwardingDone(failed);
                return;
            }
            // Alloy's appender keeps going after a failed series; errors are joined.
            var series = payload.Series(nextSeries++, payload.PushId);
            Current = writer.Push(this, series, request.Deadline, request);
        }

        public void OnWriteDone(WritePush push)
        {
            if (!push.Delivered) failed = true;
            Next();
        }
    }
}
