namespace PipelineSim.Core.Records;

/// <summary>The Prometheus metric types the series of <see cref="MetricNames"/> have.</summary>
public enum MetricFamilyType
{
    Gauge,
    Counter,
    Histogram,
}

/// <summary>
/// One metric family: its name as a Prometheus family (a counter's without <c>_total</c>, a histogram's without
/// <c>_bucket</c>/<c>_sum</c>/<c>_count</c>), its type and its help text (Alloy's wording for Alloy's metrics).
/// </summary>
public sealed record MetricFamily(string Name, MetricFamilyType Type, string Help);

/// <summary>
/// The type and help of every series <see cref="MetricNames"/> names, and which family a sample name belongs to: what
/// an exposition format needs beyond the samples themselves (OpenMetrics' <c># TYPE</c> and <c># HELP</c>).
/// </summary>
public static class MetricFamilies
{
    private const string TotalSuffix = "_total";

    public static IReadOnlyList<MetricFamily> All { get; } =
    [
        // Help texts of Alloy's pyroscope.write (internal/component/pyroscope/write/metrics.go) and of dskit's server
        // metrics that receive_http registers (dskit server/metrics.go).
        new(MetricNames.ReceiveTcpConnections, MetricFamilyType.Gauge, "Current number of accepted TCP connections."),
        new(MetricNames.ReceiveTcpConnectionsLimit, MetricFamilyType.Gauge, "The max number of TCP connections that can be accepted (0 means no limit)."),
        new(MetricNames.ReceiveInflightRequests, MetricFamilyType.Gauge, "Current number of inflight requests."),
        new(Family(MetricNames.WriteSentBytes), MetricFamilyType.Counter, "Total number of compressed bytes sent to Pyroscope."),
        new(Family(MetricNames.WriteDroppedBytes), MetricFamilyType.Counter, "Total number of compressed bytes dropped by Pyroscope."),
        new(Family(MetricNames.WriteSentProfiles), MetricFamilyType.Counter, "Total number of profiles sent to Pyroscope."),
        new(Family(MetricNames.WriteDroppedProfiles), MetricFamilyType.Counter, "Total number of profiles dropped by Pyroscope."),
        new(Family(MetricNames.WriteRetries), MetricFamilyType.Counter, "Total number of retries to Pyroscope."),
        new(MetricNames.WriteLatency, MetricFamilyType.Histogram, "Write latency for sending profiles to pyroscope"),
        new(MetricNames.AcceptBacklog, MetricFamilyType.Gauge, "Connections completed by the kernel but not yet accepted."),
        new(MetricNames.AcceptBacklogWait, MetricFamilyType.Histogram, "Time a connection waited in the accept backlog before the server accepted it."),
        new(Family(MetricNames.SynDrops), MetricFamilyType.Counter, "Handshakes dropped because the accept backlog was full."),
        new(Family(MetricNames.HungUpRequests), MetricFamilyType.Counter, "Requests read after their client had hung up, by outcome (forwarded: a duplicate push)."),
        new(MetricNames.WriteConnections, MetricFamilyType.Gauge, "Open client connections of a writer endpoint, by state."),
        new(MetricNames.BackendRequests, MetricFamilyType.Gauge, "Requests being served and waiting at a backend, by state."),
    ];

    private static readonly Dictionary<string, MetricFamily> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>
    /// The family a sample named <paramref name="sampleName"/> belongs to and the suffix the sample adds to the
    /// family name (<c>""</c> for a gauge, <c>_total</c>, <c>_bucket</c>, <c>_sum</c>, <c>_count</c>); false for a name
    /// no family of <see cref="All"/> produces.
    /// </summary>
    public static bool TryFind(string sampleName, out MetricFamily family, out string suffix)
    {
        ArgumentNullException.ThrowIfNull(sampleName);
        if (ByName.TryGetValue(sampleName, out family!) && family.Type == MetricFamilyType.Gauge)
        {
            suffix = "";
            return true;
        }
        foreach (string candidate in (ReadOnlySpan<string>)[TotalSuffix, "_bucket", "_sum", "_count"])
        {
            if (!sampleName.EndsWith(candidate, StringComparison.Ordinal)) continue;
            if (!ByName.TryGetValue(sampleName[..^candidate.Length], out family!)) continue;
            bool fits = family.Type == MetricFamilyType.Counter ? candidate == TotalSuffix : family.Type == MetricFamilyType.Histogram && candidate != TotalSuffix;
            if (!fits) continue;
            suffix = candidate;
            return true;
        }
        family = null!;
        suffix = "";
        return false;
    }

    private static string Family(string counterSample) =>
        counterSample.EndsWith(TotalSuffix, StringComparison.Ordinal) ? counterSample[..^TotalSuffix.Length]
            : throw new ArgumentException($"a counter's sample name ends in {TotalSuffix}: {counterSample}", nameof(counterSample));
}
