using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Retry;

/// <summary>
/// The per-endpoint retry loop of <c>fanOutClient.Push</c> (alloy-facts §1.2) as a state machine. The driver calls
/// <see cref="Next"/> to start and after every sleep, runs each attempt it is given, and reports its outcome to
/// <see cref="OnAttemptCompleted"/>.
/// </summary>
/// <remarks>
/// As in Alloy, the backoff watches the parent deadline (the caller's context), while each attempt gets
/// min(parent, now + remote_timeout). The first attempt is made even when the parent deadline has already passed;
/// Go's transport then fails it at once with deadline_exceeded, and a driver should do the same for any attempt
/// whose deadline is expired when it starts.
/// </remarks>
public sealed class PushLoop
{
    private enum State { NotStarted, Attempting, Sleeping, Done }

    private readonly WriteEndpointOptions endpoint;
    private readonly Deadline parent;
    private readonly Backoff backoff;
    private readonly WriteApi api;
    private State state;

    public PushLoop(WriteEndpointOptions endpoint, Deadline parent, Instant start, Random random, WriteApi api = WriteApi.Push)
    {
        this.endpoint = endpoint;
        this.parent = parent;
        this.api = api;
        Start = start;
        backoff = new Backoff(BackoffConfig.From(endpoint), parent, random);
    }

    public Instant Start { get; }

    public int Attempts { get; private set; }

    /// <summary>The backoff's retry count, the number Alloy prints in "(n retries)".</summary>
    public int Retries => backoff.NumRetries;

    /// <summary>How often <c>pyroscope_write_retries_total</c> rose: once per attempt after the first.</summary>
    public int RetriesCounted { get; private set; }

    /// <summary>The last attempt's error (not the parent context's), null after a success.</summary>
    public ConnectError? LastError { get; private set; }

    public bool IsDone => state == State.Done;

    public bool Delivered { get; private set; }

    /// <summary>Alloy's wrapped error once the loop failed: <c>failed to push to endpoint &lt;url&gt; (&lt;n&gt; retries): &lt;last error&gt;</c>.</summary>
    public string? ErrorText => IsDone && !Delivered && LastError is not null
        ? $"failed to {(api == WriteApi.Ingest ? "ingest" : "push")} to endpoint {endpoint.Url} ({Retries} retries): {LastError}"
        : null;

    /// <summary>At the start, and once a <see cref="PushStepKind.Sleep"/> has ended: the next attempt, or Done.</summary>
    public PushStep Next(Instant now)
    {
        switch (state)
        {
            case State.NotStarted:
                return BeginAttempt(now);
            case State.Sleeping:
                // The sleep ends early at the parent deadline; dskit's Ongoing() then stops the loop.
                if (!backoff.Ongoing(now)) return Finish();
                RetriesCounted++;
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
        if (backoff.Wait(now) is not Instant wake) return Finish();
        state = State.Sleeping;
        return PushStep.Sleep(Attempts, wake);
    }

    /// <summary>
    /// The caller's context was cancelled (not its deadline: the upstream client went away) while the loop backed
    /// off. dskit's <c>Wait</c> returns at once and <c>Ongoing()</c> is false, so the loop ends with the last attempt's
    /// error. A running attempt is instead reported to <see cref="OnAttemptCompleted"/> as <c>canceled</c>.
    /// </summary>
    public PushStep OnParentCanceled()
    {
        if (state != State.Sleeping) throw new InvalidOperationException("Only a sleeping loop can be cancelled; report a running attempt as canceled.");
        return Finish();
    }

    private PushStep BeginAttempt(Instant now)
    {
        state = State.Attempting;
        Attempts++;
        return PushStep.Attempt(Attempts, Deadline.Min(parent, Deadline.After(now, endpoint.RemoteTimeout)));
    }

    private PushStep Finish()
    {
        state = State.Done;
        return PushStep.Done(Attempts);
    }
}
