using PipelineSim.Spec;
using PipelineSim.Core.Records;
using PipelineSim.Scenarios.Schema;

namespace PipelineSim.Scenarios.Expect;

/// <summary>
/// The <see cref="MetricCatalog"/> answered from a model run's <see cref="SimulationResult"/> and the
/// <see cref="RecordFigures"/> the run's records passed through: what <c>run</c> hands to
/// <see cref="Scenario.CheckExpectations"/>. Times come out in seconds, sizes in bytes. Without
/// <paramref name="figures"/> the record-derived metrics have no value (and assertions on them fail, saying so).
/// </summary>
public sealed class SimulationResultMetrics(SimulationResult result, IReadOnlyDictionary<string, string> kinds, RecordFigures? figures = null)
    : IExpectContext
{
    private const string FailedPrefix = "pushes.failed.";

    public SimulationResultMetrics(SimulationResult result, Scenario scenario, RecordFigures? figures = null)
        : this(result, scenario.Kinds, figures)
    {
    }

    public bool TryGetMetric(string component, string metric, out double value)
    {
        double? found = kinds.GetValueOrDefault(component) switch
        {
            ComponentKinds.Source => result.Sources.FirstOrDefault(s => s.Source == component) is { } s ? Source(s, metric) : null,
            ComponentKinds.Write => result.Writers.FirstOrDefault(w => w.Writer == component) is { } w
                ? Writer(w, metric) ?? Attempts(component, metric)
                : null,
            ComponentKinds.Receive => result.Receivers.FirstOrDefault(r => r.Receiver == component) is { } r ? Receiver(r, metric) : null,
            ComponentKinds.Backend => result.Backends.FirstOrDefault(b => b.Backend == component) is { } b
                ? Backend(b, metric) ?? (metric == "queue.peak" ? figures?.QueuePeak(component) : null)
                : null,
            _ => null,
        };
        value = found ?? 0;
        return found is not null;
    }

    private static double? Source(SourceResult s, string metric) => metric switch
    {
        "count" => s.Agents,
        "profiles.created" => s.ProfilesCreated,
        "pushes.total" => s.Pushes,
        "skipped_ticks" => s.SkippedTicks,
        _ => null,
    };

    private static double? Writer(WriterResult w, string metric)
    {
        if (metric.StartsWith(FailedPrefix, StringComparison.Ordinal)) return w.FailedWith(metric[FailedPrefix.Length..]);
        var e = w.Endpoints;
        long finished = w.Delivered + w.Failed;
        return metric switch
        {
            "endpoints" => e.Count,
            "pushes.total" => w.Pushes,
            "pushes.delivered" => w.Delivered,
            "pushes.failed" => w.Failed,
            "pushes.in_flight" => w.InFlight,
            "delivered_ratio" => finished == 0 ? 1 : (double)w.Delivered / finished,
            "attempts.total" => w.Attempts,
            "attempts.max" => w.MaxAttempts,
            "attempts.mean" => MeanAttempts(e),
            "attempts.reused" => e.Sum(x => x.AttemptsReused),
            "retries" => e.Sum(x => x.Retries),
            "sent_bytes" => e.Sum(x => x.SentBytes),
            "dropped_bytes" => e.Sum(x => x.DroppedBytes),
            "sent_profiles" => e.Sum(x => x.SentProfiles),
            "dropped_profiles" => e.Sum(x => x.DroppedProfiles),
            "latency.p50" => Largest(e, x => x.LatencyP50),
            "latency.p90" => Largest(e, x => x.LatencyP90),
            "latency.p99" => Largest(e, x => x.LatencyP99),
            "latency.max" => Largest(e, x => x.LatencyMax),
            _ => null,
        };
    }

    private double? Attempts(string writer, string metric) => metric switch
    {
        "attempt_latency.max" => figures?.MaxAttemptLatency(writer)?.TotalSeconds,
        "attempt_latency.mean" => figures?.MeanAttemptLatency(writer)?.TotalSeconds,
        _ => null,
    };

    /// <summary>Mean attempts of finished pushes, from the per-endpoint histograms (index n counts n-attempt pushes).</summary>
    private static double MeanAttempts(IReadOnlyList<EndpointResult> endpoints)
    {
        double pushes = 0, attempts = 0;
        foreach (var histogram in endpoints.Select(e => e.AttemptsPerPush))
        {
            for (int n = 0; n < histogram.Count; n++)
            {
                pushes += histogram[n];
                attempts += (double)n * histogram[n];
            }
        }
        return pushes == 0 ? 0 : attempts / pushes;
    }

    private static double Largest(IReadOnlyList<EndpointResult> endpoints, Func<EndpointResult, TimeSpan> statistic) =>
        endpoints.Count == 0 ? 0 : endpoints.Max(statistic).TotalSeconds;

    private static double? Receiver(ReceiverStats r, string metric) => metric switch
    {
        "conn_limit" => r.ConnLimit,
        "connections.peak" => r.PeakAcceptedConnections,
        "connections.mean" => r.MeanAcceptedConnections,
        "connections.time_at_limit" => r.TimeAtLimit.TotalSeconds,
        "connections.accepted" => r.ConnectionsAccepted,
        "backlog.peak" => r.PeakAcceptBacklog,
        "syn_drops" => r.SynDrops,
        "requests.total" => r.RequestsHandled,
        "requests.failed" => r.RequestsFailed,
        "requests.after_hang_up" => r.RequestsAfterHangUp,
        "requests.duplicates" => r.DuplicateForwards,
        _ => null,
    };

    private static double? Backend(BackendResult b, string metric) => metric switch
    {
        "requests.total" => b.Requests,
        "requests.ingested" => b.Ingested,
        "requests.rejected" => b.Rejected,
        "connections.peak" => b.PeakConnections,
        _ => null,
    };
}
