using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Summary;

/// <summary>
/// What a run did, per writer endpoint and per receiver, plus the conservation check: the model the console summary
/// renders and <c>summary.json</c> holds. Endpoints are ordered by writer, then endpoint (ordinal), receivers by name,
/// so equal runs give equal summaries.
/// </summary>
public sealed record RunSummary
{
    /// <summary>What ran: the scenario, its seed and duration, the tool; null for a summary of record files alone.</summary>
    public RunInfo? Run { get; init; }

    /// <summary>The latest time any record reached (the end of the run, for in-flight pushes).</summary>
    public required Instant End { get; init; }

    public required IReadOnlyList<EndpointSummary> Endpoints { get; init; }

    public required IReadOnlyList<ReceiverStats> Receivers { get; init; }

    /// <summary>The backends' figures, by name (none when summarising files alone).</summary>
    public IReadOnlyList<BackendSummary> Backends { get; init; } = [];

    /// <summary>Profiles that sources created, on their first hop: every profile is delivered, dropped or in flight.</summary>
    public required ProfileBalance Conservation { get; init; }

    /// <summary>Every <c>expect:</c> claim of the scenario in file order, with the values it saw and its verdict.</summary>
    public IReadOnlyList<ExpectationResult> Expectations { get; init; } = [];
}

/// <summary>What was run, for a reader of <c>summary.json</c> who has only the file.</summary>
public sealed record RunInfo
{
    /// <summary>The scenario's <c>name:</c>.</summary>
    public required string Scenario { get; init; }

    /// <summary>The scenario file as given on the command line.</summary>
    public required string File { get; init; }

    /// <summary><c>simulated</c> or <c>live</c>.</summary>
    public required string Mode { get; init; }

    public required ulong Seed { get; init; }

    /// <summary>Scenario time run (the <c>duration:</c>, or the <c>--duration</c> override).</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Wall seconds per scenario second of a live run; null when simulated.</summary>
    public double? TimeScale { get; init; }

    /// <summary>The pipelinesim version that wrote the file.</summary>
    public required string ToolVersion { get; init; }
}

/// <summary>One backend (Pyroscope stand-in) over the whole run.</summary>
public sealed record BackendSummary
{
    public required string Backend { get; init; }

    /// <summary>Pushes received.</summary>
    public required long Requests { get; init; }

    /// <summary>Pushes stored.</summary>
    public required long Ingested { get; init; }

    /// <summary>Pushes answered with an error without being served (outage, rate limit, full queue).</summary>
    public required long Rejected { get; init; }

    public required int PeakConnections { get; init; }
}

/// <summary>How one <c>expect:</c> claim fared.</summary>
public sealed record ExpectationResult
{
    /// <summary>The claim as written, e.g. <c>w1.pushes.failed == 0</c>.</summary>
    public required string Text { get; init; }

    /// <summary>Where it is written: <c>expect[0]</c> in the file, at line and column.</summary>
    public required string Path { get; init; }

    public required int Line { get; init; }

    public required int Column { get; init; }

    /// <summary><c>passed</c>, <c>failed</c>, or <c>not_checked</c> (a live run cannot know the figure).</summary>
    public required string Verdict { get; init; }

    /// <summary>The value of each metric the claim names, in the order named; seconds for times, bytes for sizes.</summary>
    public required IReadOnlyDictionary<string, double> Values { get; init; }

    /// <summary>Why the claim could not be evaluated or checked; null when it was.</summary>
    public string? Reason { get; init; }
}

/// <summary>One <c>pyroscope.write</c> endpoint over the whole run (Alloy's <c>endpoint</c> label is the URL).</summary>
public sealed record EndpointSummary
{
    public required string Writer { get; init; }

    public required string Endpoint { get; init; }

    /// <summary>Push loops started: <see cref="Delivered"/> + <see cref="Failed"/> + <see cref="InFlight"/>.</summary>
    public required long Pushes { get; init; }

    public required long Delivered { get; init; }

    public required long Failed { get; init; }

    /// <summary>Failed pushes by the Connect code of their last attempt, keyed by wire name, names in ordinal order.</summary>
    public required IReadOnlyDictionary<string, long> FailedByCode { get; init; }

    public required long InFlight { get; init; }

    /// <summary>Pushes per number of attempts, every count from 1 to the largest seen (0 included only if seen).</summary>
    public required IReadOnlyList<AttemptsBucket> Attempts { get; init; }

    /// <summary>Attempts after the first of each push: what <c>pyroscope_write_retries_total</c> counts.</summary>
    public required long Retries { get; init; }

    /// <summary>Attempt records by Connect code (ok included): why attempts failed, retried or not.</summary>
    public required IReadOnlyDictionary<string, long> AttemptsByCode { get; init; }

    /// <summary>Latency of the pushes that finished (delivered or failed; in-flight pushes have no end).</summary>
    public required LatencySummary? Latency { get; init; }

    /// <summary>The same accounting in profiles: created = delivered + dropped + in flight.</summary>
    public required ProfileBalance Profiles { get; init; }
}

public sealed record AttemptsBucket(int Attempts, long Pushes);

/// <summary>Exact nearest-rank quantiles (see <see cref="Statistics.Quantile"/>) of the push latencies, with the mean.</summary>
public sealed record LatencySummary
{
    public required long Count { get; init; }

    public required TimeSpan Mean { get; init; }

    public required TimeSpan P50 { get; init; }

    public required TimeSpan P90 { get; init; }

    public required TimeSpan P99 { get; init; }

    public required TimeSpan Max { get; init; }
}
