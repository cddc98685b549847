using PipelineSim.Core.Records;

namespace PipelineSim.Spec;

/// <summary>What a run established, beside the records it streamed: exact figures per component and the books.</summary>
public sealed record SimulationResult
{
    public required string Scenario { get; init; }

    public required ulong Seed { get; init; }

    public required TimeSpan Duration { get; init; }

    public required IReadOnlyList<WriterResult> Writers { get; init; }

    public required IReadOnlyList<ReceiverStats> Receivers { get; init; }

    public required IReadOnlyList<BackendResult> Backends { get; init; }

    public required IReadOnlyList<SourceResult> Sources { get; init; }

    public required Conservation Conservation { get; init; }

    public long EventsProcessed { get; init; }

    public long PushRecords { get; init; }

    public long AttemptRecords { get; init; }

    public WriterResult Writer(string name) => Writers.Single(w => w.Writer == name);

    public ReceiverStats Receiver(string name) => Receivers.Single(r => r.Receiver == name);

    public BackendResult Backend(string name) => Backends.Single(b => b.Backend == name);
}

/// <summary>A writer component (all its copies): its endpoints, and totals over them.</summary>
public sealed record WriterResult
{
    public required string Writer { get; init; }

    public required IReadOnlyList<EndpointResult> Endpoints { get; init; }

    public long Pushes => Endpoints.Sum(e => e.Pushes);

    public long Delivered => Endpoints.Sum(e => e.Delivered);

    public long Failed => Endpoints.Sum(e => e.Failed);

    public long InFlight => Endpoints.Sum(e => e.InFlight);

    public long Attempts => Endpoints.Sum(e => e.Attempts);

    /// <summary>The most attempts any finished push made (0 when none finished).</summary>
    public int MaxAttempts => Endpoints.Count == 0 ? 0 : Endpoints.Max(e => e.MaxAttempts);

    public long FailedWith(string code) => Endpoints.Sum(e => e.FailedByCode.GetValueOrDefault(code));
}

/// <summary>One endpoint of a writer component over the run.</summary>
public sealed record EndpointResult
{
    public required string Writer { get; init; }

    public required string Endpoint { get; init; }

    public long Pushes { get; init; }

    public long Delivered { get; init; }

    public long Failed { get; init; }

    public long InFlight { get; init; }

    /// <summary>Failed pushes by the code of their last attempt (Connect names), ordinal order.</summary>
    public required IReadOnlyDictionary<string, long> FailedByCode { get; init; }

    public long Attempts { get; init; }

    public long AttemptsReused { get; init; }

    public required IReadOnlyDictionary<string, long> AttemptsByCode { get; init; }

    /// <summary>Finished pushes by how many attempts they made: index n counts pushes with n attempts.</summary>
    public required IReadOnlyList<long> AttemptsPerPush { get; init; }

    public int MaxAttempts { get; init; }

    /// <summary>pyroscope_write_retries_total at the end.</summary>
    public long Retries { get; init; }

    public long SentProfiles { get; init; }

    public long DroppedProfiles { get; init; }

    public long SentBytes { get; init; }

    public long DroppedBytes { get; init; }

    /// <summary>Nearest-rank percentiles of finished pushes' latency (the whole retry loop); zero when none finished.</summary>
    public TimeSpan LatencyP50 { get; init; }

    public TimeSpan LatencyP90 { get; init; }

    public TimeSpan LatencyP99 { get; init; }

    public TimeSpan LatencyMax { get; init; }
}

public sealed record BackendResult
{
    public required string Backend { get; init; }

    public long Requests { get; init; }

    /// <summary>Pushes stored (each carrying one or more profiles).</summary>
    public long Ingested { get; init; }

    /// <summary>Answered with an error without being served (outage, rate limit, full queue).</summary>
    public long Rejected { get; init; }

    public int PeakConnections { get; init; }
}

public sealed record SourceResult
{
    public required string Source { get; init; }

    public int Agents { get; init; }

    public long Pushes { get; init; }

    public long ProfilesCreated { get; init; }

    /// <summary>Ticks that made no push: a second tick during one push (Go's ticker holds only the first, which pushes
    /// when that push ends), or a held tick whose push would start at or after the source's stop.</summary>
    public long SkippedTicks { get; init; }
}

/// <summary>
/// The profile books of a run (<see cref="ProfileBalance"/>, checked on every run), with the backends' side:
/// <see cref="Ingested"/> profiles stored at least once and <see cref="Duplicates"/>, extra copies stored by retries.
/// </summary>
public sealed record Conservation : ProfileBalance
{
    /// <summary>Distinct profiles stored by any backend.</summary>
    public long Ingested { get; init; }

    /// <summary>Extra copies stored because a push was retried after some of its targets had succeeded.</summary>
    public long Duplicates { get; init; }
}

/// <summary>The books did not balance: the model lost or invented profiles. Always a bug, never a scenario outcome.</summary>
public sealed class ConservationException(Conservation books, string detail)
    : Exception($"conservation violated: {books}; {detail}")
{
    public Conservation Books { get; } = books;
}
