using PipelineSim.Core.Records;
using PipelineSim.Live.Metrics;

namespace PipelineSim.Live.Writer;

/// <summary>The <c>pyroscope_write_*</c> series of one writer endpoint (grafana/alloy internal/component/pyroscope/write/metrics.go), labelled by URL.</summary>
internal sealed class WriteMetrics
{
    private const string LatencyHelp = "Write latency for sending profiles to pyroscope";

    public WriteMetrics(MetricRegistry registry, string writer, string endpoint)
    {
        var labels = MetricLabels.Of(("component_id", writer), ("endpoint", endpoint));
        SentBytes = registry.Counter(MetricNames.WriteSentBytes, "Total number of compressed bytes sent to Pyroscope.", labels);
        DroppedBytes = registry.Counter(MetricNames.WriteDroppedBytes, "Total number of compressed bytes dropped by Pyroscope.", labels);
        SentProfiles = registry.Counter(MetricNames.WriteSentProfiles, "Total number of profiles sent to Pyroscope.", labels);
        DroppedProfiles = registry.Counter(MetricNames.WriteDroppedProfiles, "Total number of profiles dropped by Pyroscope.", labels);
        Retries = registry.Counter(MetricNames.WriteRetries, "Total number of retries to Pyroscope.", labels);
        PushEndpoint = Latency(registry, labels, "push_endpoint");
        PushDownstream = Latency(registry, labels, "push_downstream");
        IngestEndpoint = Latency(registry, labels, "ingest_endpoint");
        IngestDownstream = Latency(registry, labels, "ingest_downstream");
    }

    public Counter SentBytes { get; }

    public Counter DroppedBytes { get; }

    public Counter SentProfiles { get; }

    public Counter DroppedProfiles { get; }

    public Counter Retries { get; }

    /// <summary>The whole retry loop of one push to this endpoint.</summary>
    public Histogram PushEndpoint { get; }

    /// <summary>One attempt.</summary>
    public Histogram PushDownstream { get; }

    public Histogram IngestEndpoint { get; }

    public Histogram IngestDownstream { get; }

    /// <summary>The writer-wide latency of a whole fan-out (<c>push_total</c>/<c>ingest_total</c>, endpoint "-").</summary>
    public static Histogram Total(MetricRegistry registry, string writer, string type) =>
        Latency(registry, MetricLabels.Of(("component_id", writer), ("endpoint", "-")), type);

    private static Histogram Latency(MetricRegistry registry, MetricLabels labels, string type) =>
        registry.Histogram(MetricNames.WriteLatency, LatencyHelp, labels.With("type", type), MetricNames.WriteLatencyBuckets);
}
