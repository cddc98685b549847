using PipelineSim.Core.Time;

namespace PipelineSim.Core.Records;

/// <summary>
/// One value of one time series at one sample time. <see cref="Name"/> is the metric name as Alloy exports it
/// (e.g. <c>pyroscope_receive_http_tcp_connections</c>); <see cref="Labels"/> is the Prometheus label set without
/// braces, labels sorted by name (e.g. <c>component_id="r",protocol="http"</c>), so equal series compare equal as text.
/// </summary>
public readonly record struct MetricSample(Instant Time, string Name, string Labels, double Value);
