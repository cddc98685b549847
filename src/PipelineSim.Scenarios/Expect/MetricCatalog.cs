using PipelineSim.Core.Connect;
using PipelineSim.Scenarios.Schema;
using PipelineSim.Scenarios.Values;

namespace PipelineSim.Scenarios.Expect;

/// <summary>
/// One metric an assertion may name after <c>component.</c>. A <see cref="Pattern"/> segment <c>{code}</c> stands for
/// any Connect code name (<c>pushes.failed.deadline_exceeded</c>). <see cref="FromConfig"/> metrics are the
/// scenario's own settings (<c>r.conn_limit</c>), known before the run; the rest come from the run.
/// </summary>
public sealed record MetricDefinition(string Pattern, Dimension Dimension, string Description, bool FromConfig = false)
{
    public const string CodePlaceholder = "{code}";

    public bool Matches(string metric)
    {
        string[] want = Pattern.Split('.'), have = metric.Split('.');
        if (want.Length != have.Length) return false;
        for (int i = 0; i < want.Length; i++)
        {
            bool ok = want[i] == CodePlaceholder ? ConnectCodes.TryParse(have[i], out var code) && code != ConnectCode.Ok : want[i] == have[i];
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>Concrete names for "did you mean" (the placeholder filled with every code).</summary>
    public IEnumerable<string> Examples() => Pattern.Contains(CodePlaceholder)
        ? Enum.GetValues<ConnectCode>().Where(c => c != ConnectCode.Ok).Select(c => Pattern.Replace(CodePlaceholder, ConnectCodes.Name(c)))
        : [Pattern];
}

/// <summary>
/// The metrics <c>expect:</c> can check, per component kind. This is the contract with whoever runs a scenario: the
/// run's <see cref="IExpectContext"/> answers every non-config metric listed here, in the listed unit (time in
/// seconds, sizes in bytes). Each is a figure of the model's <c>SimulationResult</c> or a ratio of two, except the
/// few <see cref="RecordFigures"/> gathers from the record stream. A writer's figures cover all its endpoints and, when a fleet gives each agent its own copy of the
/// writer, all the copies. Load balancers have no figures of their own in a run, so nothing to check.
/// </summary>
public static class MetricCatalog
{
    /// <summary>The latency statistics a run reports per endpoint (nearest-rank percentiles and the maximum).</summary>
    public static IReadOnlyList<string> LatencyStatistics { get; } = ["p50", "p90", "p99", "max"];

    private static readonly Dictionary<string, IReadOnlyList<MetricDefinition>> ByKind = new(StringComparer.Ordinal)
    {
        [ComponentKinds.Source] =
        [
            new("count", Dimension.Number, "agents in the fleet", FromConfig: true),
            new("profiles.created", Dimension.Number, "profiles the fleet created (SourceResult.ProfilesCreated)"),
            new("pushes.total", Dimension.Number, "pushes the fleet made (SourceResult.Pushes)"),
            new("skipped_ticks", Dimension.Number, "push ticks that made no push: a second tick during one push, or a held tick past the stop (SourceResult.SkippedTicks)"),
        ],
        [ComponentKinds.Write] =
        [
            new("endpoints", Dimension.Number, "endpoint blocks", FromConfig: true),
            new("pushes.total", Dimension.Number, "pushes to an endpoint, one per push per endpoint (the rows of pushes.csv)"),
            new("pushes.delivered", Dimension.Number, "pushes delivered"),
            new("pushes.failed", Dimension.Number, "pushes given up on"),
            new($"pushes.failed.{MetricDefinition.CodePlaceholder}", Dimension.Number, "failed pushes whose last attempt ended with this Connect code"),
            new("pushes.in_flight", Dimension.Number, "pushes still running when the run ended"),
            new("delivered_ratio", Dimension.Number, "pushes.delivered / (pushes.delivered + pushes.failed); 1 when none finished"),
            new("attempts.total", Dimension.Number, "attempts over all pushes"),
            new("attempts.max", Dimension.Number, "most attempts any finished push made"),
            new("attempts.mean", Dimension.Number, "mean attempts of the finished pushes (from EndpointResult.AttemptsPerPush)"),
            new("attempts.reused", Dimension.Number, "attempts that rode a pooled (reused) connection"),
            new("retries", Dimension.Number, "pyroscope_write_retries_total"),
            new("sent_bytes", Dimension.Size, "pyroscope_write_sent_bytes_total"),
            new("dropped_bytes", Dimension.Size, "pyroscope_write_dropped_bytes_total"),
            new("sent_profiles", Dimension.Number, "pyroscope_write_sent_profiles_total"),
            new("dropped_profiles", Dimension.Number, "pyroscope_write_dropped_profiles_total"),
            .. LatencyStatistics.Select(s => new MetricDefinition($"latency.{s}", Dimension.Time,
                $"{s} of finished pushes' latency, the whole retry loop; the largest over the writer's endpoints")),
            new("attempt_latency.max", Dimension.Time, "the longest single attempt (from the attempt records)"),
            new("attempt_latency.mean", Dimension.Time, "the mean attempt (from the attempt records)"),
        ],
        [ComponentKinds.Receive] =
        [
            new("conn_limit", Dimension.Number, "the configured conn_limit (0 = no limit)", FromConfig: true),
            new("connections.peak", Dimension.Number, "most accepted connections at once (pyroscope_receive_http_tcp_connections)"),
            new("connections.mean", Dimension.Number, "time-weighted mean of accepted connections"),
            new("connections.time_at_limit", Dimension.Time, "time the accepted connections sat at conn_limit"),
            new("connections.accepted", Dimension.Number, "connections accepted over the run"),
            new("backlog.peak", Dimension.Number, "most connections waiting in the accept backlog"),
            new("syn_drops", Dimension.Number, "handshakes dropped because the accept backlog was full"),
            new("requests.total", Dimension.Number, "requests handled"),
            new("requests.failed", Dimension.Number, "requests answered 500 because a forward_to target failed"),
            new("requests.after_hang_up", Dimension.Number, "requests read from connections accepted after their client had hung up"),
            new("requests.duplicates", Dimension.Number, "of requests.after_hang_up, those forwarded before the context was canceled: duplicate pushes (pipelinesim_hung_up_requests_total{outcome=\"forwarded\"})"),
        ],
        [ComponentKinds.Backend] =
        [
            new("concurrency", Dimension.Number, "pushes served at once (0 = no limit)", FromConfig: true),
            new("requests.total", Dimension.Number, "pushes received"),
            new("requests.ingested", Dimension.Number, "pushes stored"),
            new("requests.rejected", Dimension.Number, "pushes answered with an error without being served (outage, rate limit, full queue)"),
            new("connections.peak", Dimension.Number, "most open client connections at once"),
            new("queue.peak", Dimension.Number, "most pushes waiting for a slot in any metric sample (a spike shorter than sample_step can be missed)"),
        ],
    };

    public static IEnumerable<string> Kinds => ByKind.Keys;

    public static IReadOnlyList<MetricDefinition> For(string kind) => ByKind.TryGetValue(kind, out var list) ? list : [];

    public static MetricDefinition? Find(string kind, string metric) => For(kind).FirstOrDefault(d => d.Matches(metric));
}
