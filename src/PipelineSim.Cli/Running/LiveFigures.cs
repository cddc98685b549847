using PipelineSim.Spec;
using PipelineSim.Analysis.Summary;
using PipelineSim.Core.Records;
using PipelineSim.Live.Harness;
using PipelineSim.Model;
using PipelineSim.Scenarios;
using PipelineSim.Scenarios.Expect;
using PipelineSim.Scenarios.Schema;

namespace PipelineSim.Cli.Running;

/// <summary>
/// A live run's figures in the simulator's shape (<see cref="SimulationResult"/>), so <c>expect:</c> is answered by
/// the same <see cref="SimulationResultMetrics"/> for both drivers: writer figures from the run's summary and a
/// few record tallies, receiver, source and backend figures from the live components themselves.
/// </summary>
internal static class LiveFigures
{
    /// <summary>Metrics a live run has no honest value for, with the reason, by component kind.</summary>
    private static readonly Dictionary<(string Kind, string Metric), string> Unavailable = new()
    {
        [(ComponentKinds.Receive, "syn_drops")] = "SYNs dropped at a full backlog are the kernel's and are not counted live",
    };

    /// <summary>Why an expectation cannot be checked live, or null when it can.</summary>
    public static string? WhyNotChecked(Expectation expectation, Scenario scenario)
    {
        foreach (var metric in expectation.Left.Metrics.Concat(expectation.Right.Metrics))
        {
            string kind = scenario.Kinds.GetValueOrDefault(metric.Component, "");
            if (Unavailable.TryGetValue((kind, metric.Metric), out string? why)) return $"{metric.Reference}: {why}";
        }
        return null;
    }

    public static SimulationResult ToSimulationResult(LiveRunResult live, RunSummary summary, WriterTally tally) => new()
    {
        Scenario = live.Scenario,
        Seed = live.Seed,
        Duration = live.Duration,
        Writers = [.. summary.Endpoints.GroupBy(e => e.Writer).Select(w => new WriterResult
        {
            Writer = w.Key,
            Endpoints = [.. w.Select(e => Endpoint(e, tally.Of(e.Writer, e.Endpoint)))],
        })],
        Receivers = live.Receivers,
        Backends = live.Backends,
        Sources = live.Sources,
        Conservation = new Conservation
        {
            Created = summary.Conservation.Created,
            Delivered = summary.Conservation.Delivered,
            DroppedByCode = summary.Conservation.DroppedByCode,
            InFlight = summary.Conservation.InFlight,
        },
        PushRecords = summary.Endpoints.Sum(e => e.Pushes),
        AttemptRecords = summary.Endpoints.Sum(e => e.AttemptsByCode.Values.Sum()),
    };

    private static EndpointResult Endpoint(EndpointSummary e, WriterTally.Endpoint extra) => new()
    {
        Writer = e.Writer,
        Endpoint = e.Endpoint,
        Pushes = e.Pushes,
        Delivered = e.Delivered,
        Failed = e.Failed,
        InFlight = e.InFlight,
        FailedByCode = e.FailedByCode,
        Attempts = extra.Attempts,
        AttemptsReused = extra.Reused,
        AttemptsByCode = e.AttemptsByCode,
        AttemptsPerPush = ByAttemptCount(e.Attempts),
        MaxAttempts = e.Attempts.Count == 0 ? 0 : e.Attempts[^1].Attempts,
        Retries = e.Retries,
        SentProfiles = e.Profiles.Delivered,
        DroppedProfiles = e.Profiles.Dropped,
        SentBytes = extra.SentBytes,
        DroppedBytes = extra.DroppedBytes,
        LatencyP50 = e.Latency?.P50 ?? TimeSpan.Zero,
        LatencyP90 = e.Latency?.P90 ?? TimeSpan.Zero,
        LatencyP99 = e.Latency?.P99 ?? TimeSpan.Zero,
        LatencyMax = e.Latency?.Max ?? TimeSpan.Zero,
    };

    /// <summary>The summary's buckets (finished pushes) as the model's list, where index n counts pushes with n attempts.</summary>
    private static long[] ByAttemptCount(IReadOnlyList<AttemptsBucket> buckets)
    {
        var counts = new long[buckets.Count == 0 ? 0 : buckets[^1].Attempts + 1];
        foreach (var bucket in buckets) counts[bucket.Attempts] = bucket.Pushes;
        return counts;
    }
}

/// <summary>
/// What <see cref="SimulationResult"/> holds per writer endpoint that the run summary does not: attempts over every
/// push (in flight included), attempts on reused connections, and bytes sent and dropped.
/// </summary>
internal sealed class WriterTally : IRecordSink
{
    private readonly Dictionary<(string Writer, string Endpoint), Endpoint> endpoints = [];

    public sealed class Endpoint
    {
        public long Attempts { get; set; }

        public long Reused { get; set; }

        public long SentBytes { get; set; }

        public long DroppedBytes { get; set; }
    }

    public Endpoint Of(string writer, string endpoint)
    {
        if (!endpoints.TryGetValue((writer, endpoint), out var tally)) endpoints.Add((writer, endpoint), tally = new Endpoint());
        return tally;
    }

    public void OnPush(in PushRecord push)
    {
        var tally = Of(push.Writer, push.Endpoint);
        tally.Attempts += push.Attempts;
        if (push.Result == PushResult.Delivered) tally.SentBytes += push.Bytes;
        else if (push.Result == PushResult.Failed) tally.DroppedBytes += push.Bytes;
    }

    public void OnAttempt(in AttemptRecord attempt)
    {
        if (attempt.Reused) Of(attempt.Writer, attempt.Endpoint).Reused++;
    }

    public void OnSample(in MetricSample sample)
    {
    }
}
