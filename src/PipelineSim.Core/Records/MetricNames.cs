namespace PipelineSim.Core.Records;

/// <summary>
/// The time series both drivers emit. Names with the <c>pyroscope_</c> prefix are exactly what Alloy exports
/// (grafana/alloy internal/component/pyroscope/write/metrics.go; grafana/dskit server/metrics.go); names with the <c>pipelinesim_</c> prefix are things Alloy cannot see (the kernel's
/// accept queue, SYN drops, the backend's queue) that the simulator and the live driver add.
/// Every series carries <c>component_id</c>, as Alloy's controller adds it.
/// </summary>
public static class MetricNames
{
    // pyroscope.receive_http (dskit server, namespace pyroscope_receive_http), labels: component_id, protocol="http".
    public const string ReceiveTcpConnections = "pyroscope_receive_http_tcp_connections";
    public const string ReceiveTcpConnectionsLimit = "pyroscope_receive_http_tcp_connections_limit";

    /// <summary>Requests being handled (dskit's inflight_requests gauge), labels: component_id, method, route.</summary>
    public const string ReceiveInflightRequests = "pyroscope_receive_http_inflight_requests";

    // pyroscope.write, labels: component_id, endpoint (the URL).
    public const string WriteSentBytes = "pyroscope_write_sent_bytes_total";
    public const string WriteDroppedBytes = "pyroscope_write_dropped_bytes_total";
    public const string WriteSentProfiles = "pyroscope_write_sent_profiles_total";
    public const string WriteDroppedProfiles = "pyroscope_write_dropped_profiles_total";
    public const string WriteRetries = "pyroscope_write_retries_total";

    /// <summary>
    /// Histogram, labels: component_id, endpoint, type (push_total with endpoint="-", push_endpoint, push_downstream).
    /// Emitted as <c>_bucket</c> (with <c>le</c>), <c>_sum</c> and <c>_count</c> series like the Prometheus text format.
    /// </summary>
    public const string WriteLatency = "pyroscope_write_latency";

    /// <summary>prometheus.DefBuckets, the buckets of <see cref="WriteLatency"/> (seconds).</summary>
    public static IReadOnlyList<double> WriteLatencyBuckets { get; } = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    // Beyond what Alloy exports.
    /// <summary>Connections completed by the kernel but not yet accepted (the listen backlog), label: component_id.</summary>
    public const string AcceptBacklog = "pipelinesim_accept_backlog";

    /// <summary>
    /// Histogram of how long each connection a receiver accepted had waited in its accept backlog (0 for one accepted
    /// at once), seconds, buckets <see cref="AcceptBacklogWaitBuckets"/>, label: component_id.
    /// </summary>
    public const string AcceptBacklogWait = "pipelinesim_accept_backlog_wait_seconds";

    /// <summary>The buckets of <see cref="AcceptBacklogWait"/> (seconds): prometheus.DefBuckets and on to a minute.</summary>
    public static IReadOnlyList<double> AcceptBacklogWaitBuckets { get; } = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>Handshakes dropped because the accept backlog was full, label: component_id.</summary>
    public const string SynDrops = "pipelinesim_syn_drops_total";

    /// <summary>
    /// Requests read after their client had hung up (accepted from the backlog after the client closed), labels:
    /// component_id, outcome (forwarded: a duplicate push; canceled: the context was canceled before the forward).
    /// </summary>
    public const string HungUpRequests = "pipelinesim_hung_up_requests_total";

    /// <summary>Open client connections of a writer endpoint, labels: component_id, endpoint, state (active|idle).</summary>
    public const string WriteConnections = "pipelinesim_write_connections";

    /// <summary>Requests being served and waiting at a backend, labels: component_id, state (serving|queued).</summary>
    public const string BackendRequests = "pipelinesim_backend_requests";
}
