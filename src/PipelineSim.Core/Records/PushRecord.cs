using PipelineSim.Core.Connect;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Records;

/// <summary>How a push to one writer endpoint ended.</summary>
public enum PushResult
{
    Delivered,
    Failed,

    /// <summary>Still running when the run ended; counted as in flight by the conservation check.</summary>
    InFlight,
}

/// <summary>
/// One push by one writer to one endpoint: the whole retry loop, as the simulator and the live driver both record it.
/// A push that a receiver forwards downstream gets its own record with <see cref="ParentPushId"/> set.
/// </summary>
public readonly record struct PushRecord
{
    /// <summary>Made with an initializer naming every required member; <c>default</c> is not a record.</summary>
    public PushRecord()
    {
    }

    public required long PushId { get; init; }

    /// <summary>The upstream push this one forwards (receiver fan-out), or null for a push a source made.</summary>
    public long? ParentPushId { get; init; }

    /// <summary>The agent or component that created the profiles.</summary>
    public required string Source { get; init; }

    public required string Writer { get; init; }

    /// <summary>The endpoint URL, as Alloy labels its metrics.</summary>
    public required string Endpoint { get; init; }

    public required Instant Start { get; init; }

    /// <summary>When the loop ended; for an in-flight push, the end of the run.</summary>
    public required Instant End { get; init; }

    /// <summary>The deadline the push inherited (none for a source's push without one).</summary>
    public Deadline ParentDeadline { get; init; } = Deadline.None;

    public required int Attempts { get; init; }

    public required PushResult Result { get; init; }

    /// <summary><see cref="ConnectCode.Ok"/> when delivered; the last attempt's code otherwise.</summary>
    public ConnectCode Code { get; init; }

    /// <summary>Alloy's wording: <c>failed to push to endpoint &lt;url&gt; (&lt;n&gt; retries): &lt;last error&gt;</c>.</summary>
    public string? Error { get; init; }

    public int Profiles { get; init; }

    public long Bytes { get; init; }

    public TimeSpan Latency => End - Start;
}
