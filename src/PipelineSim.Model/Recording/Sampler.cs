using System.Text;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;
using PipelineSim.Kernel;
using PipelineSim.Model.Components;
using PipelineSim.Model.Http;

namespace PipelineSim.Model.Recording;

/// <summary>
/// Samples every series on a fixed step, from time zero; the last sample is at the end of the run. Series names
/// and label sets are built once, so a sample costs one value read per series.
/// </summary>
internal sealed class Sampler : ITimerHandler
{
    private readonly Simulation sim;
    private readonly Recorder recorder;
    private readonly long step;
    private readonly long end;
    private readonly List<(string Name, string Labels, Func<double> Value)> series = [];
    private long lastSampled = -1;

    public Sampler(Simulation sim, Recorder recorder, long step, long end)
    {
        this.sim = sim;
        this.recorder = recorder;
        this.step = step;
        this.end = end;
    }

    public void Start() => sim.ScheduleAt(0, this, 0);

    public void AddWriter(WriterMetrics writer)
    {
        foreach (var endpoint in writer.Endpoints)
        {
            string labels = Labels(("component_id", writer.Writer), ("endpoint", endpoint.Url));
            Add(MetricNames.WriteSentBytes, labels, () => endpoint.SentBytes);
            Add(MetricNames.WriteDroppedBytes, labels, () => endpoint.DroppedBytes);
            Add(MetricNames.WriteSentProfiles, labels, () => endpoint.SentProfiles);
            Add(MetricNames.WriteDroppedProfiles, labels, () => endpoint.DroppedProfiles);
            Add(MetricNames.WriteRetries, labels, () => endpoint.Retries);
            AddLatency(writer.Writer, endpoint.Url, "push_endpoint", endpoint.EndpointLatency);
            AddLatency(writer.Writer, endpoint.Url, "push_downstream", endpoint.DownstreamLatency);
            Add(MetricNames.WriteConnections, Labels(("component_id", writer.Writer), ("endpoint", endpoint.Url), ("state", "active")),
                () => endpoint.Connections().Active);
            Add(MetricNames.WriteConnections, Labels(("component_id", writer.Writer), ("endpoint", endpoint.Url), ("state", "idle")),
                () => endpoint.Connections().Idle);
        }
        AddLatency(writer.Writer, "-", "push_total", writer.TotalLatency);
    }

    public void AddReceiver(HttpServer receiver)
    {
        string labels = Labels(("component_id", receiver.Name), ("protocol", "http"));
        Add(MetricNames.ReceiveTcpConnections, labels, () => receiver.Accepted);
        Add(MetricNames.ReceiveTcpConnectionsLimit, labels, () => receiver.ConnLimit);
        Add(MetricNames.ReceiveInflightRequests,
            Labels(("component_id", receiver.Name), ("method", "POST"), ("route", "/push.v1.PusherService/Push")),
            () => receiver.InFlight);
        string own = Labels(("component_id", receiver.Name));
        Add(MetricNames.AcceptBacklog, own, () => receiver.Backlog);
        Add(MetricNames.SynDrops, own, () => receiver.SynDrops);
        var hungUp = receiver.HungUpClients;
        Add(MetricNames.HungUpRequests, Labels(("component_id", receiver.Name), ("outcome", "canceled")), () => hungUp.Read - hungUp.Forwarded);
        Add(MetricNames.HungUpRequests, Labels(("component_id", receiver.Name), ("outcome", "forwarded")), () => hungUp.Forwarded);
        AddHistogram(MetricNames.AcceptBacklogWait, [("component_id", receiver.Name)], receiver.BacklogWaits);
    }

    public void AddBackend(Backend backend)
    {
        Add(MetricNames.BackendRequests, Labels(("component_id", backend.Name), ("state", "serving")), () => backend.ServingCount);
        Add(MetricNames.BackendRequests, Labels(("component_id", backend.Name), ("state", "queued")), () => backend.QueuedCount);
    }

    private void AddLatency(string writer, string endpoint, string type, LatencyHistogram histogram) =>
        AddHistogram(MetricNames.WriteLatency, [("component_id", writer), ("endpoint", endpoint), ("type", type)], histogram);

    /// <summary>A histogram's <c>_bucket</c> (with <c>le</c> among <paramref name="labels"/>, sorted), <c>_sum</c> and <c>_count</c> series.</summary>
    private void AddHistogram(string name, (string Name, string Value)[] labels, LatencyHistogram histogram)
    {
        var le = histogram.LeLabels;
        for (int i = 0; i < le.Count; i++)
        {
            int bucket = i;
            Add(name + "_bucket",
                Labels([.. labels, ("le", le[i])]),
                () => histogram.Cumulative(bucket));
        }
        string own = Labels(labels);
        Add(name + "_sum", own, () => histogram.SumTicks / (double)TimeSpan.TicksPerSecond);
        Add(name + "_count", own, () => histogram.Count);
    }

    private void Add(string name, string labels, Func<double> value) => series.Add((name, labels, value));

    /// <summary>Prometheus label text, names sorted (the order <see cref="MetricSample.Labels"/> promises).</summary>
    private static string Labels(params (string Name, string Value)[] labels)
    {
        labels = [.. labels.OrderBy(l => l.Name, StringComparer.Ordinal)];
        var text = new StringBuilder();
        foreach (var (name, value) in labels)
        {
            if (text.Length > 0) text.Append(',');
            text.Append(name).Append("=\"").Append(value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n")).Append('"');
        }
        return text.ToString();
    }

    public void OnTimer(long token)
    {
        SampleNow();
        long next = sim.Now + step;
        if (next < end) sim.ScheduleAt(next, this, 0);
    }

    /// <summary>Takes a sample at the current time unless one was already taken at it.</summary>
    public void SampleNow()
    {
        if (sim.Now == lastSampled) return;
        lastSampled = sim.Now;
        var time = new Instant(sim.Now);
        foreach (var (name, labels, value) in series) recorder.Sample(new MetricSample(time, name, labels, value()));
    }
}
