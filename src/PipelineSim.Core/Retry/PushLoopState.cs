using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Retry;

/// <summary>
/// The per-endpoint retry loop of <c>fanOutClient.Push</c> (grafana/alloy internal/component/pyroscope/write/write.go) as a state machine. The driver calls
/// <see cref="Next"/> to start and after every sleep, runs each attempt it is given, and reports its outcome to
/// <see cref="OnAttemptCompleted"/>.
/// </summary>
/// <remarks>
/// As in Alloy, the backoff watches the parent deadline (the caller's context), while each attempt gets
/// min(parent, now + remote_timeout). The first attempt is made even when the parent deadline has already passed;
/// Go's transport then fails it at once with deadline_exceeded, and a driver should do the same for any attempt
/// whose deadline is expired when it starts.
/// A mutable struct so that a driver making millions of loops (the simulator) keeps it as a field of its own push
/// object instead of one more object per push; it must then be held in a non-readonly field and never copied while in
/// use. Drivers that pass a loop around (the live writer, tests) use <see cref="PushLoop"/>, this state in a box.
/// </remarks>
public struct PushLoopState
{
    private enum State { NotStarted, Attempting, Sleeping, Done }

    private readonly WriteEndpointOptions endpoint;
    private readonly Deadline parent;
    private readonly BackoffConfig backoffConfig;
    private readonly Random random;
    private readonly WriteApi api;
    private State state;
    // Made at the first failed attempt: most pushes succeed at once and never back off, and a simulator runs millions.
    private Backoff? backoff;
    private bool parentCanceled;

    public PushLoopState(WriteEndpointOptions endpoint, Deadline parent, Instant start, Random random, WriteApi api = WriteApi.Push)
        : this(endpoint, BackoffConfig.From(endpoint), parent, start, random, api)
    {
    }

    /// <summary>As above, with the endpoint's backoff config made once by the caller (a driver making millions of loops).</summary>
    public PushLoopState(WriteEndpointOptions endpoint, BackoffConfig backoffConfig, Deadline parent, Instant start, Random random, WriteApi api = WriteApi.Push)
    {
        System.Diagnostics.Debug.Assert(backoffConfig == BackoffConfig.From(endpoint), "The backoff config must be the endpoint's.");
        this.endpoint = endpoint;
        this.parent = parent;
        this.backoffConfig = backoffConfig;
        this.random = random;
        this.api = api;
        Start = start;
    }

    public Instant Start { get; }

    public int Attempts { get; private set; }

    /// <summary>The backoff's retry count, the number Alloy prints in "(n retries)".</summary>
    public int Retries => backoff?.NumRetries ?? 0;

    /// <summary>
    /// How often <c>pyroscope_write_retries_total</c> rose: once per attempt after the first. Drivers count it as it
    /// happens, by <see cref="PushStep.IsRetry"/> on each attempt step; this is the same count for the whole loop.
    /// </summary>
    public int RetriesCounted => Math.Max(0, Attempts - 1);

    /// <summary>When the running (or last) attempt started: the instant given to the <see cref="Next"/> that began it.</summary>
    public Instant AttemptStart { get; private set; }

    /// <summary>The running (or last) attempt's deadline: min(parent, start + remote_timeout).</summary>
    public Deadline AttemptDeadline { get; private set; }

    /// <summary>The last attempt's error (not the parent context's), null after a success.</summary>
    public ConnectError? LastError { get; private set; }

    /// <summary>
    /// The code a push record carries: <see cref="ConnectCode.Ok"/> after a success (or while no attempt has failed
    /// yet), otherwise the last attempt's code, which for a failed push is what it failed with.
    /// </summary>
    public ConnectCode LastCode => LastError?.Code ?? ConnectCode.Ok;

    public bool IsDone => state == State.Done;

    /// <summary>How the push stands in the records: in flight until the loop is done, then delivered or failed.</summary>
    public PushResult Result => !IsDone ? PushResult.InFlight : Delivered ? PushResult.Delivered : PushResult.Failed;

    /// <summary>The parent context was canceled (see <see cref="CancelParent"/>).</summary>
    public bool IsParentCanceled => parentCanceled;

    public bool Delivered { get; private set; }

    /// <summary>Alloy's wrapped error once the loop failed: <c>failed to push to endpoint &lt;url&gt; (&lt;n&gt; retries): &lt;last error&gt;</c>.</summary>
    public string? ErrorText => IsDone && !Delivered && LastError is not null
        ? $"failed to {(api == WriteApi.Ingest ? "ingest" : "push")} to endpoint {endpoint.Url} ({Retries} retries): {LastError}"
        : null;

    /// <summary>
    /// The record a driver writes for this push: once the loop is done, or at the end of the run for a push still
    /// running (<paramref name="end"/> is then the run's end). The loop supplies everything it decided.
    /// </summary>
    public PushRecord ToRecord(long pushId, long? parentPushId, string source, string writer, Instant end, int profiles, long bytes) => new()
    {
        PushId = pushId,
        ParentPushId = parentPushId,
        Source = source,
        Writer = writer,
        Endpoint = endpoint.Url,
        Start = Start,
        End = end,
        ParentDeadline = parent,
        Attempts = Attempts,
        Result = Result,
        Code = LastCode,
        Error = ErrorText,
        Profiles = profiles,
        Bytes = bytes,
    };

    /// <summary>
    /// The caller's context was canceled before its deadline (a receiver's client hung up). Like a done context in
    /// dskit's backoff, it ends a sleep at once and allows no further attempt: a driver sleeping calls <see cref="Next"/>
    /// now (which answers Done); a driver running an attempt fails it with <c>canceled</c>, which is not retried.
    /// </summary>
    public void CancelParent()
    {
        parentCanceled = true;
        backoff?.Cancel();
    }

    /// <summary>At the start, and once a <see cref="PushStepKind.Sleep"/> has ended: the next attempt, or Done.</summary>
    public PushStep Next(Instant now)
    {
        switch (state)
        {
            case State.NotStarted:
                return BeginAttempt(now);
            case State.Sleeping:
                // The sleep ends early at the parent deadline; dskit's Ongoing() then stops the loop.
                if (!backoff!.Ongoing(now)) return Finish();
                return BeginAttempt(now);
            case State.Done:
                return PushStep.Done(Attempts);
            default:
                throw new InvalidOperationException($"Attempt {Attempts} is still running; report it with {nameof(OnAttemptCompleted)} first.");
        }
    }

    /// <summary>Feeds the outcome of the running attempt (null = success) and answers Sleep or Done.</summary>
    public PushStep OnAttemptCompleted(Instant now, ConnectError? error)
    {
        if (state != State.Attempting) throw new InvalidOperationException("No attempt is running.");
        LastError = error;
        if (error is null)
        {
            Delivered = true;
            return Finish();
        }
        if (!RetryPolicy.ShouldRetry(error, endpoint.RetryOnHttp429)) return Finish();
        if ((backoff ??= NewBackoff()).Wait(now) is not Instant wake) return Finish();
        state = State.Sleeping;
        return PushStep.Sleep(Attempts, wake);
    }

    private PushStep BeginAttempt(Instant now)
    {
        state = State.Attempting;
        Attempts++;
        AttemptStart = now;
        AttemptDeadline = Deadline.Min(parent, Deadline.After(now, endpoint.RemoteTimeout));
        return PushStep.Attempt(Attempts, AttemptDeadline);
    }

    /// <summary>
    /// Whether the attempt just begun fails before anything is sent, because its context is already done: Go's
    /// transport (<c>net/http.Transport.roundTrip</c> checks <c>ctx.Done()</c> first) fails it at once,
    /// <c>canceled</c> when the caller's context was canceled (<paramref name="callerCanceled"/>, or
    /// <see cref="CancelParent"/>), else <c>deadline_exceeded</c> when its deadline has passed at
    /// <paramref name="now"/>. Null: the driver sends it.
    /// </summary>
    public ConnectError? FailsBeforeSending(Instant now, bool callerCanceled = false)
    {
        if (state != State.Attempting) throw new InvalidOperationException("No attempt is running.");
        if (callerCanceled || IsParentCanceled) return ConnectError.Canceled;
        return AttemptDeadline.IsExpired(now) ? ConnectError.DeadlineExceeded : null;
    }

    /// <summary>
    /// The record of the running attempt, ended at <paramref name="end"/> with <paramref name="error"/> (null: ok); to
    /// be written before <see cref="OnAttemptCompleted"/>. <paramref name="errorText"/> is the error's Go text when the
    /// driver has it already (the simulator computes it once per kind of failure); by default it is made from the error.
    /// </summary>
    public AttemptRecord AttemptRecord(long pushId, string writer, Instant end, AttemptConnection connection, ConnectError? error,
        string? errorText = null) => new()
    {
        PushId = pushId,
        Number = Attempts,
        Writer = writer,
        Endpoint = endpoint.Url,
        Start = AttemptStart,
        End = end,
        Deadline = AttemptDeadline,
        ConnectionId = connection.Id,
        Reused = connection.Reused,
        IdleBefore = connection.IdleBefore,
        BacklogWait = connection.BacklogWait,
        Code = error?.Code ?? ConnectCode.Ok,
        Error = error is null ? null : errorText ?? error.ToString(),
    };

    /// <summary>What the finished push adds to the endpoint's sent or dropped counters (nothing while it runs).</summary>
    public WriteTally Tally(int profiles, long bytes) => WriteTally.Of(Result, profiles, bytes);

    /// <summary>The backoff as it stands before its first wait: no retry yet, canceled if the parent was.</summary>
    private Backoff NewBackoff()
    {
        var made = new Backoff(backoffConfig, parent, random);
        if (parentCanceled) made.Cancel();
        return made;
    }

    private PushStep Finish()
    {
        state = State.Done;
        return PushStep.Done(Attempts);
    }
}
