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
    /// <summary>The latest time any record reached (the end of the run, for in-flight pushes).</summary>
    public required Instant End { get; init; }

    public required IReadOnlyList<EndpointSummary> Endpoints { get; init; }

    public required IReadOnlyList<ReceiverStats> Receivers { get; init; }

    /// <summary>Profiles that sources created, on their first hop: every profile is delivered, dropped or in flight.</summary>
    public required ProfileBalance Conservation { get; init; }
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
