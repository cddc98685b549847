using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Core.Retry;
using PipelineSim.Core.Time;
using PipelineSim.Kernel;
using PipelineSim.Model.Http;
using PipelineSim.Model.Net;
using PipelineSim.Model.Runtime;

namespace PipelineSim.Model.Components;

/// <summary>Who pushed through a writer and waits for the fan-out to end (an agent, a receiver's forwarding).</summary>
internal interface IPushCaller
{
    void OnWriteDone(WritePush push);

    /// <summary>A push is about to end: prefetch what <see cref="OnWriteDone"/> reads, <paramref name="depth"/> + 1 references away (see <see cref="Kernel.ITimerHandler.Prefetch"/>).</summary>
    void PrefetchWriteDone(int depth) { }
}

/// <summary>The caller's request context beyond its deadline: whether it was canceled.</summary>
internal interface IPushContext
{
    bool IsCanceled { get; }
}

/// <summary>
/// One <c>Push</c> call on a writer: the concurrent fan-out over its endpoints (grafana/alloy
/// internal/component/pyroscope/write/write.go). With one endpoint (most writers) the <see cref="EndpointPush"/> is the
/// whole call, one object per push rather than two; with more, a <see cref="FanOutPush"/> waits for its parts.
/// </summary>
internal abstract class WritePush
{
    private readonly WriterComponent writer; // not the copy: only the transports differ, and the ends of pushes need none
    private readonly IPushCaller? caller; // null for a part of a fan-out, which reports to the fan-out instead
    private readonly long start;

    protected WritePush(WriterComponent writer, IPushCaller? caller, in Payload payload, IPushContext? context)
    {
        this.writer = writer;
        this.caller = caller;
        Payload = payload;
        Context = context;
        start = writer.World.Now;
    }

    public Payload Payload { get; }

    public IPushContext? Context { get; }

    /// <summary>A source's push (the first hop), as opposed to a receiver forwarding one.</summary>
    public bool FromSource => Context is null;

    /// <summary>True once every endpoint delivered; Alloy's Push returns an error if any failed.</summary>
    public abstract bool Delivered { get; }

    public abstract void Start();

    public abstract void Cancel();

    /// <summary>Who hears when this call returns (null for a part of a fan-out).</summary>
    protected IPushCaller? Caller => caller;

    /// <summary>Every endpoint is done: the call returns to its caller.</summary>
    protected void Return()
    {
        writer.Metrics.TotalLatency.Observe(writer.World.Now - start);
        caller!.OnWriteDone(this);
    }
}

/// <summary>A <c>Push</c> call on a writer with more than one endpoint: one <see cref="EndpointPush"/> per endpoint, all at once.</summary>
internal sealed class FanOutPush : WritePush
{
    private readonly EndpointPush[] parts;
    private int remaining;
    private bool delivered = true;

    public FanOutPush(WriterInstance copy, IPushCaller caller, in Payload payload, Deadline parent, IPushContext? context)
        : base(copy.Component, caller, payload, context)
    {
        var endpoints = copy.Component.Endpoints;
        var transports = copy.Transports;
        parts = new EndpointPush[endpoints.Length];
        for (int i = 0; i < endpoints.Length; i++) parts[i] = new EndpointPush(endpoints[i], transports[i], this, payload, parent, context);
        remaining = endpoints.Length;
    }

    public override bool Delivered => delivered;

    public override void Start()
    {
        foreach (var part in parts) part.Start();
    }

    public override void Cancel()
    {
        foreach (var part in parts) part.Cancel();
    }

    public void OnPartDone(EndpointPush part)
    {
        if (!part.Delivered) delivered = false;
        if (--remaining == 0) Return();
    }
}

/// <summary>
/// The retry loop for one endpoint of one push, driving Core's <see cref="PushLoop"/> in virtual time: each attempt
/// gets a connection from the transport, sends the request with its deadline in Connect-Timeout-Ms, and ends with
/// the response, a transport error, or its deadline (Go then closes the connection). Records every attempt and the push.
/// </summary>
/// <remarks>Alone it is the writer's whole <c>Push</c> call; as a part of a <see cref="FanOutPush"/> it reports to that.</remarks>
internal sealed class EndpointPush : WritePush, ITimerHandler, IConnWaiter, IExchangeClient
{
    private enum Phase : byte { NotStarted, WaitingForConnection, OnConnection, FailingNow, Sleeping, Done }

    private const int KindBits = 2;
    private const long HeaderClockSkew = 10; // ticks: 1 µs
    private const long DeadlineKind = 1, WakeKind = 2, FailNowKind = 3;

    private readonly EndpointClient endpoint;
    private readonly IRequestTransport transport;
    private readonly FanOutPush? fanOut; // null when this is the whole call
    private readonly World world;
    private PushLoopState loop; // a struct held here: one object fewer per push; never copied
    private Phase phase;
    private long generation;
    private long deadlineTimer = -1;

    // The attempt in progress.
    private long? timeoutHeader;
    private Flow? flow;
    private bool reused;
    private long idleBefore;
    private Exchange? exchange;
    private Failure? pendingFailure;

    /// <summary>The whole call to a writer with one endpoint.</summary>
    public EndpointPush(WriterInstance copy, IPushCaller caller, in Payload payload, Deadline parent, IPushContext? context)
        : this(copy.Component.Endpoints[0], copy.Transports[0], caller, null, payload, parent, context)
    {
    }

    /// <summary>One part of a fan-out.</summary>
    public EndpointPush(EndpointClient endpoint, IRequestTransport transport, FanOutPush fanOut, in Payload payload, Deadline parent,
        IPushContext? context)
        : this(endpoint, transport, null, fanOut, payload, parent, context)
    {
    }

    private EndpointPush(EndpointClient endpoint, IRequestTransport transport, IPushCaller? caller, FanOutPush? fanOut, in Payload payload,
        Deadline parent, IPushContext? context)
        : base(endpoint.Writer, caller, payload, context)
    {
        this.endpoint = endpoint;
        this.transport = transport;
        this.fanOut = fanOut;
        world = endpoint.Writer.World;
        PushId = world.NextPushId();
        loop = new PushLoopState(endpoint.Options, endpoint.Backoff, parent, world.Instant, endpoint.Writer.Random);
    }

    public long PushId { get; }

    public override bool Delivered => loop.Delivered;

    /// <summary>Where <see cref="World.Active"/> keeps this push while it runs.</summary>
    public int ActiveSlot { get; set; } = -1;

    public override void Start()
    {
        world.Active.Add(this);
        endpoint.Metrics.Pushes++;
        if (FromSource) world.Books.Created += Payload.SeriesCount;
        Follow(loop.Next(world.Instant));
    }

    /// <summary>The caller's context was canceled: no further attempt; the running one fails with canceled.</summary>
    public override void Cancel()
    {
        if (phase is Phase.Done or Phase.NotStarted) return;
        loop.CancelParent();
        switch (phase)
        {
            case Phase.Sleeping:
                Follow(loop.Next(world.Instant));
                break;
            case Phase.WaitingForConnection:
                CompleteAttempt(Failure.Canceled);
                break;
            case Phase.OnConnection:
                transport.Abandon(flow!, exchange!);
                CompleteAttempt(Failure.Canceled);
                break;
        }
    }

    private void Follow(PushStep step)
    {
        switch (step.Kind)
        {
            case PushStepKind.Attempt:
                BeginAttempt(step);
                break;
            case PushStepKind.Sleep:
                phase = Phase.Sleeping;
                Schedule(step.SleepUntil.Ticks, WakeKind);
                break;
            default:
                Finish();
                break;
        }
    }

    private void BeginAttempt(in PushStep step)
    {
        long now = world.Now;
        if (step.IsRetry) endpoint.Metrics.Retries++;
        var attemptDeadline = step.AttemptDeadline;
        // connect-go writes Connect-Timeout-Ms when the call starts, before the transport finds or dials a connection,
        // and reads the clock a moment after the attempt's context was made: a 10 s timeout goes out as 9999
        // (grafana/pyroscope#3372). The model's clock has not moved, so it reads it one microsecond on.
        timeoutHeader = ConnectTimeout.EncodeMillis(attemptDeadline, new Instant(now + HeaderClockSkew));
        flow = null;
        exchange = null;
        reused = false;
        idleBefore = 0;
        if (loop.FailsBeforeSending(world.Instant, callerCanceled: Context?.IsCanceled == true) is { } done)
            FailNow(done.Code == ConnectCode.Canceled ? Failure.Canceled : Failure.DeadlineExceeded);
        else
        {
            phase = Phase.WaitingForConnection;
            generation++;
            deadlineTimer = world.Timers.Schedule(attemptDeadline.When.Ticks, this, DeadlineKind | (generation << KindBits));
            transport.Acquire(this, generation);
        }
    }

    private void FailNow(Failure failure)
    {
        phase = Phase.FailingNow;
        pendingFailure = failure;
        Schedule(world.Now, FailNowKind);
    }

    private void Schedule(long at, long kind)
    {
        generation++;
        world.Sim.ScheduleAt(at, this, kind | (generation << KindBits));
    }

    // ---- the connection ----

    public bool IsWaiting(long tag) => phase == Phase.WaitingForConnection && tag == generation;

    public void OnConnection(Flow flow, bool reused, long idleTicks)
    {
        phase = Phase.OnConnection;
        this.flow = flow;
        this.reused = reused;
        idleBefore = idleTicks;
        exchange = new Exchange(world, flow, this, Payload with { PushId = PushId }, timeoutHeader);
        flow.Send(exchange);
    }

    public void OnDialFailed(Failure failure)
    {
        if (phase == Phase.WaitingForConnection) CompleteAttempt(failure);
    }

    /// <summary>A response ends the attempt: the transport takes the connection back, and the push may return to its caller.</summary>
    public void PrefetchResponsePath(int depth)
    {
        if (depth == 0)
        {
            CacheHint.Prefetch(transport, HotBytes.Transport);
            CacheHint.Prefetch((object?)fanOut ?? Caller, HotBytes.Caller);
        }
        else
        {
            transport.Prefetch(depth - 1);
            Caller?.PrefetchWriteDone(depth - 1);
        }
    }

    public void OnResponse(Exchange answered)
    {
        if (!ReferenceEquals(answered, exchange) || phase != Phase.OnConnection) return;
        transport.Release(flow!);
        CompleteAttempt(answered.ResponseCode == ConnectCode.Ok ? null : answered.ResponseFailure);
    }

    public void OnExchangeFailed(Exchange failed, Failure failure)
    {
        if (!ReferenceEquals(failed, exchange) || phase != Phase.OnConnection) return;
        transport.Discard(flow!);
        CompleteAttempt(failure);
    }

    public void OnTimer(long token)
    {
        if (token >> KindBits != generation) return;
        switch (token & ((1 << KindBits) - 1))
        {
            case DeadlineKind:
                if (phase == Phase.OnConnection) transport.Abandon(flow!, exchange!);
                if (phase is Phase.OnConnection or Phase.WaitingForConnection) CompleteAttempt(Failure.DeadlineExceeded);
                break;
            case WakeKind:
                if (phase == Phase.Sleeping) Follow(loop.Next(world.Instant));
                break;
            case FailNowKind:
                if (phase == Phase.FailingNow) CompleteAttempt(pendingFailure);
                break;
        }
    }

    // ---- outcomes ----

    private void CompleteAttempt(Failure? failure)
    {
        generation++; // every timer of this attempt is now stale
        if (deadlineTimer >= 0)
        {
            world.Timers.Cancel(deadlineTimer); // and the deadline no longer holds this push in memory
            deadlineTimer = -1;
        }
        long now = world.Now;
        var code = failure?.Code ?? ConnectCode.Ok;
        endpoint.Metrics.OnAttempt(code, reused, now - loop.AttemptStart.Ticks);
        // The backlog wait is counted once per connection, on the attempt that dialed it.
        var backlogWait = new TimeSpan(flow is null || reused ? 0 : flow.ServerEnd.BacklogWaitAt(now));
        world.Recorder.Attempt(loop.AttemptRecord(PushId, endpoint.Writer.Name, new Instant(now),
            new AttemptConnection(flow?.Id ?? -1, reused, new TimeSpan(idleBefore), backlogWait), failure?.Error, failure?.Text));
        flow = null;
        exchange = null;
        phase = Phase.NotStarted; // between attempts: neither waiting nor sleeping
        Follow(loop.OnAttemptCompleted(new Instant(now), failure?.Error));
    }

    private void Finish()
    {
        phase = Phase.Done;
        world.Active.Remove(this);
        long now = world.Now;
        var payload = Payload;
        var code = loop.LastCode;
        endpoint.Metrics.OnPushDone(loop.Delivered, code, loop.Attempts, now - loop.Start.Ticks, loop.Tally(payload.SeriesCount, payload.Bytes));
        if (FromSource)
        {
            if (loop.Delivered) world.Books.Delivered += payload.SeriesCount;
            else world.Books.DroppedByCode.Add(code, payload.SeriesCount);
        }
        world.Recorder.Push(Record(now));
        if (fanOut is null) Return();
        else fanOut.OnPartDone(this);
    }

    /// <summary>The record of a push still running when the run ends.</summary>
    public PushRecord InFlightRecord(long end) => Record(end);

    public int Profiles => Payload.SeriesCount;

    public string Writer => endpoint.Writer.Name;

    public string Endpoint => endpoint.Options.Url;

    private PushRecord Record(long end)
    {
        var payload = Payload;
        return loop.ToRecord(PushId, FromSource ? null : payload.PushId, payload.Batch.Source, endpoint.Writer.Name,
            new Instant(end), payload.SeriesCount, payload.Bytes);
    }
}
