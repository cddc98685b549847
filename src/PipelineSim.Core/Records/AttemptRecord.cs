using PipelineSim.Core.Connect;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Records;

/// <summary>One attempt of a push: one HTTP request on one connection.</summary>
public readonly record struct AttemptRecord
{
    /// <summary>Made with an initializer naming every required member; <c>default</c> is not a record.</summary>
    public AttemptRecord()
    {
    }

    public required long PushId { get; init; }

    /// <summary>1 for the first attempt.</summary>
    public required int Number { get; init; }

    public required string Writer { get; init; }

    public required string Endpoint { get; init; }

    public required Instant Start { get; init; }

    public required Instant End { get; init; }

    /// <summary>min(parent deadline, start + remote_timeout).</summary>
    public required Deadline Deadline { get; init; }

    /// <summary>Identifies the TCP connection the request rode (unique within a run); -1 when no connection was obtained.</summary>
    public long ConnectionId { get; init; } = -1;

    /// <summary>True when the connection came from the idle pool rather than a new dial.</summary>
    public bool Reused { get; init; }

    /// <summary>How long a reused connection had sat idle before this request.</summary>
    public TimeSpan IdleBefore { get; init; }

    /// <summary>
    /// How long the connection waited in the server's accept backlog before the server accepted it, counted on the
    /// attempt that dialed it (until the attempt ended, if it was never accepted by then); zero for a reused
    /// connection, one accepted at once, or no connection; null when the driver cannot know (live).
    /// </summary>
    public TimeSpan? BacklogWait { get; init; }

    /// <summary><see cref="ConnectCode.Ok"/> on success.</summary>
    public required ConnectCode Code { get; init; }

    public string? Error { get; init; }

    public TimeSpan Latency => End - Start;
}
