using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Retry;

/// <summary>
/// The per-endpoint retry loop of <c>fanOutClient.Push</c> as an object: <see cref="PushLoopState"/>, which holds the
/// rule, in a box that can be passed around (the live writer's async attempts, tests). Every member is the state's.
/// </summary>
public sealed class PushLoop
{
    private PushLoopState state;

    public PushLoop(WriteEndpointOptions endpoint, Deadline parent, Instant start, Random random, WriteApi api = WriteApi.Push)
    {
        state = new PushLoopState(endpoint, parent, start, random, api);
    }

    /// <summary>As above, with the endpoint's backoff config made once by the caller.</summary>
    public PushLoop(WriteEndpointOptions endpoint, BackoffConfig backoffConfig, Deadline parent, Instant start, Random random, WriteApi api = WriteApi.Push)
    {
        state = new PushLoopState(endpoint, backoffConfig, parent, start, random, api);
    }

    /// <inheritdoc cref="PushLoopState.Start"/>
    public Instant Start => state.Start;

    /// <inheritdoc cref="PushLoopState.Attempts"/>
    public int Attempts => state.Attempts;

    /// <inheritdoc cref="PushLoopState.Retries"/>
    public int Retries => state.Retries;

    /// <inheritdoc cref="PushLoopState.RetriesCounted"/>
    public int RetriesCounted => state.RetriesCounted;

    /// <inheritdoc cref="PushLoopState.AttemptStart"/>
    public Instant AttemptStart => state.AttemptStart;

    /// <inheritdoc cref="PushLoopState.AttemptDeadline"/>
    public Deadline AttemptDeadline => state.AttemptDeadline;

    /// <inheritdoc cref="PushLoopState.LastError"/>
    public ConnectError? LastError => state.LastError;

    /// <inheritdoc cref="PushLoopState.LastCode"/>
    public ConnectCode LastCode => state.LastCode;

    public bool IsDone => state.IsDone;

    /// <inheritdoc cref="PushLoopState.Result"/>
    public PushResult Result => state.Result;

    /// <inheritdoc cref="PushLoopState.IsParentCanceled"/>
    public bool IsParentCanceled => state.IsParentCanceled;

    public bool Delivered => state.Delivered;

    /// <inheritdoc cref="PushLoopState.ErrorText"/>
    public string? ErrorText => state.ErrorText;

    /// <inheritdoc cref="PushLoopState.ToRecord"/>
    public PushRecord ToRecord(long pushId, long? parentPushId, string source, string writer, Instant end, int profiles, long bytes) =>
        state.ToRecord(pushId, parentPushId, source, writer, end, profiles, bytes);

    /// <inheritdoc cref="PushLoopState.CancelParent"/>
    public void CancelParent() => state.CancelParent();

    /// <inheritdoc cref="PushLoopState.Next"/>
    public PushStep Next(Instant now) => state.Next(now);

    /// <inheritdoc cref="PushLoopState.OnAttemptCompleted"/>
    public PushStep OnAttemptCompleted(Instant now, ConnectError? error) => state.OnAttemptCompleted(now, error);

    /// <inheritdoc cref="PushLoopState.FailsBeforeSending"/>
    public ConnectError? FailsBeforeSending(Instant now, bool callerCanceled = false) => state.FailsBeforeSending(now, callerCanceled);

    /// <inheritdoc cref="PushLoopState.AttemptRecord"/>
    public AttemptRecord AttemptRecord(long pushId, string writer, Instant end, AttemptConnection connection, ConnectError? error,
        string? errorText = null) => state.AttemptRecord(pushId, writer, end, connection, error, errorText);

    /// <inheritdoc cref="PushLoopState.Tally"/>
    public WriteTally Tally(int profiles, long bytes) => state.Tally(profiles, bytes);
}
