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
        Attempts = e.Attempts.Sum(a => (long)a.Attempts * a.Pushes),
        AttemptsReused = extra.Reused,
        AttemptsByCode = e.AttemptsByCode,
        AttemptsPerPush = extra.FinishedByAttempts,
        MaxAttempts = Math.Max(0, extra.FinishedByAttempts.Count - 1),
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
}

/// <summary>
/// What <see cref="SimulationResult"/> holds per writer endpoint that the run summary does not: attempts on reused
/// connections, bytes sent and dropped, and the finished pushes by attempt count (the summary's include pushes in flight).
/// </summary>
internal sealed class WriterTally : IRecordSink
{
    private readonly Dictionary<(string Writer, string Endpoint), Endpoint> endpoints = [];

    public sealed class Endpoint
    {
        private readonly List<long> byAttempts = [];

        public long Reused { get; set; }

        public long SentBytes { get; set; }

        public long DroppedBytes { get; set; }

        /// <summary>Index n counts finished pushes with n attempts.</summary>
        public IReadOnlyList<long> FinishedByAttempts => byAttempts;

        public void Finished(int attempts)
        {
            while (byAttempts.Count <= attempts) byAttempts.Add(0);
            byAttempts[attempts]++;
        }
    }

    public Endpoint Of(string writer, string endpoint)
    {
        if (!endpoints.TryGetValue((writer, endpoint), out var tally)) endpoints.Add((writer, endpoint), tally = new Endpoint());
        return tally;
    }

    public void OnPush(PushRecord push)
    {
        var tally = Of(push.Writer, push.Endpoint);
        switch (push.Result)
        {
            case PushResult.Delivered:
                tally.SentBytes += push.Bytes;
                tally.Finished(push.Attempts);
                break;
            case PushResult.Failed:
                tally.DroppedBytes += push.Bytes;
                tally.Finished(push.Attempts);
                break;
        }
    }

    public void OnAttempt(AttemptRecord attempt)
    {
        if (attempt.Reused) Of(attempt.Writer, attempt.Endpoint).Reused++;
    }

    public void OnSample(in MetricSample sample)
    {
    }
}
