using PipelineSim.Analysis.Statistics;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Summary;

/// <summary>
/// Builds a <see cref="RunSummary"/> while a run streams its records (a sink beside the CSV writer), or afterwards
/// from the record files. Keeps counters per writer endpoint and each finished push's latency, nothing else.
/// </summary>
public sealed class RunSummaryBuilder : IRecordSink
{
    private readonly Dictionary<(string Writer, string Endpoint), EndpointTally> endpoints = [];
    private readonly ProfileTally firstHop = new();
    private Instant end;

    public void OnPush(in PushRecord push)
    {
        var tally = Tally(push.Writer, push.Endpoint);
        tally.Add(push);
        if (push.ParentPushId is null) firstHop.Add(push);
        end = Instant.Max(end, push.End);
    }

    public void OnAttempt(in AttemptRecord attempt)
    {
        Tally(attempt.Writer, attempt.Endpoint).AttemptCodes.Add(attempt.Code);
        end = Instant.Max(end, attempt.End);
    }

    public void OnSample(in MetricSample sample) => end = Instant.Max(end, sample.Time);

    /// <param name="receivers">The drivers' exact per-receiver figures (none when summarising files alone).</param>
    /// <param name="profilesCreated">
    /// Profiles the sources created, counted once per first-hop writer endpoint they were handed to; null to take
    /// the sum of the first-hop pushes recorded.
    /// </param>
    public RunSummary Build(IEnumerable<ReceiverStats>? receivers = null, long? profilesCreated = null) => new()
    {
        End = end,
        Endpoints = [.. endpoints
            .OrderBy(e => e.Key.Writer, StringComparer.Ordinal)
            .ThenBy(e => e.Key.Endpoint, StringComparer.Ordinal)
            .Select(e => e.Value.Summarize(e.Key.Writer, e.Key.Endpoint))],
        Receivers = [.. (receivers ?? []).OrderBy(r => r.Receiver, StringComparer.Ordinal)],
        Conservation = firstHop.Line(profilesCreated),
    };

    /// <summary>Summarises a run directory's record files (no receiver figures unless given).</summary>
    public static RunSummary FromFiles(string directory, IEnumerable<ReceiverStats>? receivers = null)
    {
        var builder = new RunSummaryBuilder();
        foreach (var attempt in Records.RunRecordFiles.ReadAttempts(directory)) builder.OnAttempt(attempt);
        foreach (var push in Records.RunRecordFiles.ReadPushes(directory)) builder.OnPush(push);
        return builder.Build(receivers);
    }

    private EndpointTally Tally(string writer, string endpoint)
    {
        if (!endpoints.TryGetValue((writer, endpoint), out var tally))
            endpoints.Add((writer, endpoint), tally = new EndpointTally());
        return tally;
    }

    private sealed class ProfileTally
    {
        private readonly CodeCounts dropped = new();
        private long created;
        private long delivered;
        private long inFlight;

        public void Add(PushRecord push)
        {
            created += push.Profiles;
            switch (push.Result)
            {
                case PushResult.Delivered: delivered += push.Profiles; break;
                case PushResult.Failed: dropped.Add(push.Code, push.Profiles); break;
                case PushResult.InFlight: inFlight += push.Profiles; break;
            }
        }

        public ProfileBalance Line(long? createdByDriver = null) => new()
        {
            Created = createdByDriver ?? created,
            Delivered = delivered,
            DroppedByCode = dropped.ByName(),
            InFlight = inFlight,
        };
    }

    private sealed class EndpointTally
    {
        private readonly CodeCounts failedCodes = new();
        private readonly ProfileTally profiles = new();
        private readonly DurationSamples latencies = new();
        private long[] attemptCounts = new long[16];
        private long pushes, delivered, failed, inFlight, retries;

        public CodeCounts AttemptCodes { get; } = new();

        public void Add(PushRecord push)
        {
            pushes++;
            profiles.Add(push);
            switch (push.Result)
            {
                case PushResult.Delivered: delivered++; break;
                case PushResult.Failed: failed++; failedCodes.Add(push.Code); break;
                case PushResult.InFlight: inFlight++; break;
            }
            int attempts = Math.Max(0, push.Attempts);
            retries += Math.Max(0, attempts - 1);
            // Latency and the attempts histogram describe finished pushes: an in-flight one has neither an end nor
            // its final count of attempts (the simulator's own figures, which expect: reads, count the same way).
            if (push.Result == PushResult.InFlight) return;
            latencies.Add(push.Latency);
            if (attempts >= attemptCounts.Length) Array.Resize(ref attemptCounts, Math.Max(attempts + 1, attemptCounts.Length * 2));
            attemptCounts[attempts]++;
        }

        public EndpointSummary Summarize(string writer, string endpoint) => new()
        {
            Writer = writer,
            Endpoint = endpoint,
            Pushes = pushes,
            Delivered = delivered,
            Failed = failed,
            FailedByCode = failedCodes.ByName(),
            InFlight = inFlight,
            Attempts = AttemptsHistogram(),
            Retries = retries,
            AttemptsByCode = AttemptCodes.ByName(),
            Latency = latencies.Count == 0 ? null : new LatencySummary
            {
                Count = latencies.Count,
                Mean = latencies.Mean,
                P50 = latencies.Quantile(0.50),
                P90 = latencies.Quantile(0.90),
                P99 = latencies.Quantile(0.99),
                Max = latencies.Max,
            },
            Profiles = profiles.Line(),
        };

        private List<AttemptsBucket> AttemptsHistogram()
        {
            int largest = Array.FindLastIndex(attemptCounts, c => c > 0);
            int first = attemptCounts[0] > 0 ? 0 : 1;
            var buckets = new List<AttemptsBucket>();
            for (int n = first; n <= largest; n++) buckets.Add(new AttemptsBucket(n, attemptCounts[n]));
            return buckets;
        }
    }
}
