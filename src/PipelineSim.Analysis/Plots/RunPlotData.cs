using PipelineSim.Analysis.Records;
using PipelineSim.Analysis.Statistics;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Plots;

/// <summary>
/// What the plots show, gathered in one streaming pass over a run's records (a sink, so a run can also feed it
/// directly): per writer endpoint, every finished push's latency, attempts per push, retries and outcomes over time;
/// per receiver, the time series of its connection gauges. Memory is bounded by the number of pushes (8 bytes each)
/// and the receivers' samples, not by the rows of the files.
/// </summary>
public sealed class RunPlotData : IRecordSink
{
    private readonly Dictionary<(string Writer, string Endpoint), EndpointPlotData> endpoints = [];
    private readonly Dictionary<string, ReceiverPlotData> receivers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> componentOfLabels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (WriteLatencySeries Series, string Le)?> latencyOfLabels = new(StringComparer.Ordinal);

    /// <summary>Writer endpoints ordered by writer, then endpoint.</summary>
    public IReadOnlyList<EndpointPlotData> Endpoints =>
        [.. endpoints.Values.OrderBy(e => e.Writer, StringComparer.Ordinal).ThenBy(e => e.Endpoint, StringComparer.Ordinal)];

    /// <summary>Receivers (by component_id) ordered by name.</summary>
    public IReadOnlyList<ReceiverPlotData> Receivers => [.. receivers.Values.OrderBy(r => r.Receiver, StringComparer.Ordinal)];

    /// <summary>Which inputs were absent (a run directory without attempts.csv or metrics.csv still plots the rest).</summary>
    public IReadOnlyList<string> MissingFiles { get; private set; } = [];

    /// <summary>The latest time any record mentions: the run's span when the plots are not told its duration.</summary>
    public TimeSpan LastRecordTime { get; private set; }

    public void OnPush(in PushRecord push)
    {
        Endpoint(push.Writer, push.Endpoint).Add(push);
        Seen(push.End);
    }

    public void OnAttempt(in AttemptRecord attempt) => Endpoint(attempt.Writer, attempt.Endpoint).Add(attempt);

    public void OnSample(in MetricSample sample)
    {
        Seen(sample.Time);
        if (sample.Name == MetricNames.WriteLatency + "_bucket")
        {
            if (LatencySeries(sample.Labels) is var (latency, le)) latency.Add(sample.Time.TotalSeconds, le, sample.Value);
            return;
        }
        var series = sample.Name switch
        {
            MetricNames.ReceiveTcpConnections => ReceiverSeries.Connections,
            MetricNames.ReceiveTcpConnectionsLimit => ReceiverSeries.Limit,
            MetricNames.AcceptBacklog => ReceiverSeries.Backlog,
            MetricNames.SynDrops => ReceiverSeries.SynDrops,
            _ => (ReceiverSeries?)null,
        };
        if (series is null) return;

        if (!componentOfLabels.TryGetValue(sample.Labels, out var receiver))
            componentOfLabels.Add(sample.Labels, receiver = PrometheusLabels.Get(sample.Labels, "component_id"));
        if (receiver is null) return;

        if (!receivers.TryGetValue(receiver, out var data)) receivers.Add(receiver, data = new ReceiverPlotData(receiver));
        data.Add(series.Value, sample.Time, sample.Value);
    }

    /// <summary>
    /// Reads a run directory: <c>pushes.csv</c> (or <c>pushes.parquet</c>) is required; the attempts and
    /// <c>metrics.csv</c> are read when present. Throws <see cref="RecordFileException"/> for a missing pushes file or a file that does not parse.
    /// </summary>
    public static RunPlotData FromDirectory(string directory)
    {
        var data = new RunPlotData();
        var missing = new List<string>();
        foreach (var push in RunRecordFiles.ReadPushes(directory)) data.OnPush(push);

        string attempts = RunRecordFiles.AttemptsPath(directory);
        if (File.Exists(attempts))
        {
            foreach (var attempt in RunRecordFiles.ReadAttempts(directory)) data.OnAttempt(attempt);
        }
        else missing.Add(Path.GetFileName(attempts));

        string metrics = Path.Combine(directory, RunFiles.Metrics);
        if (File.Exists(metrics))
        {
            foreach (var sample in RecordCsvReader.ReadMetrics(metrics)) data.OnSample(sample);
        }
        else missing.Add(RunFiles.Metrics);

        data.MissingFiles = missing;
        return data;
    }

    private void Seen(Instant at)
    {
        if (at.Ticks > LastRecordTime.Ticks) LastRecordTime = new TimeSpan(at.Ticks);
    }

    /// <summary>The endpoint histogram a bucket series belongs to (type="push_endpoint" only), and its bucket bound.</summary>
    private (WriteLatencySeries, string)? LatencySeries(string labels)
    {
        if (latencyOfLabels.TryGetValue(labels, out var known)) return known;
        (WriteLatencySeries, string)? found = null;
        if (PrometheusLabels.Get(labels, "type") == "push_endpoint"
            && PrometheusLabels.Get(labels, "component_id") is { } writer
            && PrometheusLabels.Get(labels, "endpoint") is { } endpoint
            && PrometheusLabels.Get(labels, "le") is { } le)
        {
            found = (Endpoint(writer, endpoint).WriteLatency, le);
        }
        latencyOfLabels.Add(labels, found);
        return found;
    }

    private EndpointPlotData Endpoint(string writer, string endpoint)
    {
        if (!endpoints.TryGetValue((writer, endpoint), out var data))
            endpoints.Add((writer, endpoint), data = new EndpointPlotData(writer, endpoint));
        return data;
    }
}

/// <summary>The plot inputs of one writer endpoint.</summary>
public sealed class EndpointPlotData(string writer, string endpoint)
{
    private readonly SortedDictionary<string, TimeHistogram> outcomes = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, long[]> attempts = [];

    public string Writer { get; } = writer;

    public string Endpoint { get; } = endpoint;

    public long Pushes { get; private set; }

    public DurationSamples DeliveredLatencies { get; } = new();

    public DurationSamples FailedLatencies { get; } = new();

    /// <summary>The sampled <c>pyroscope_write_latency</c> histogram of this endpoint (from metrics.csv).</summary>
    public WriteLatencySeries WriteLatency { get; } = new();

    /// <summary>Attempts after the first, by the time each started (from attempts.csv).</summary>
    public TimeHistogram Retries { get; } = new();

    /// <summary>Finished pushes by the time they ended, keyed by Connect code name (<c>ok</c> when delivered).</summary>
    public IReadOnlyDictionary<string, TimeHistogram> OutcomesByCode => outcomes;

    /// <summary>Pushes per attempt count, split by result (indexed by <see cref="PushResult"/>).</summary>
    public IReadOnlyDictionary<int, long[]> AttemptsByResult => attempts;

    internal void Add(PushRecord push)
    {
        Pushes++;
        if (!attempts.TryGetValue(push.Attempts, out var byResult)) attempts.Add(push.Attempts, byResult = new long[3]);
        byResult[(int)push.Result]++;
        if (push.Result == PushResult.InFlight) return; // it has no end, only the end of the run

        (push.Result == PushResult.Delivered ? DeliveredLatencies : FailedLatencies).Add(push.Latency);
        string code = ConnectCodes.Name(push.Result == PushResult.Delivered ? ConnectCode.Ok : push.Code);
        if (!outcomes.TryGetValue(code, out var histogram)) outcomes.Add(code, histogram = new TimeHistogram());
        histogram.Add(push.End);
    }

    internal void Add(AttemptRecord attempt)
    {
        if (attempt.Number > 1) Retries.Add(attempt.Start);
    }
}

internal enum ReceiverSeries
{
    Connections,
    Limit,
    Backlog,
    SynDrops,
}

/// <summary>The sampled connection gauges of one <c>pyroscope.receive_http</c>, in time order.</summary>
public sealed class ReceiverPlotData(string receiver)
{
    private readonly List<TimePoint> connections = [], limit = [], backlog = [], synDrops = [];

    public string Receiver { get; } = receiver;

    /// <summary><c>pyroscope_receive_http_tcp_connections</c>: accepted connections.</summary>
    public IReadOnlyList<TimePoint> Connections => connections;

    /// <summary><c>pyroscope_receive_http_tcp_connections_limit</c>; 0 means no limit.</summary>
    public IReadOnlyList<TimePoint> Limit => limit;

    /// <summary><c>pipelinesim_accept_backlog</c>: handshakes done, waiting for accept.</summary>
    public IReadOnlyList<TimePoint> Backlog => backlog;

    /// <summary><c>pipelinesim_syn_drops_total</c>: the counter as sampled.</summary>
    public IReadOnlyList<TimePoint> SynDropsTotal => synDrops;

    /// <summary>
    /// SYN drops per second between consecutive samples (the counter's increase over the step, at the step's end);
    /// a decrease, as after a restart, counts from zero as Prometheus' <c>rate</c> does.
    /// </summary>
    public IReadOnlyList<TimePoint> SynDropRate()
    {
        var rate = new List<TimePoint>(Math.Max(0, synDrops.Count - 1));
        for (int i = 1; i < synDrops.Count; i++)
        {
            double seconds = synDrops[i].Seconds - synDrops[i - 1].Seconds;
            if (seconds <= 0) continue;
            double increase = synDrops[i].Value >= synDrops[i - 1].Value ? synDrops[i].Value - synDrops[i - 1].Value : synDrops[i].Value;
            rate.Add(new TimePoint(synDrops[i].Seconds, increase / seconds));
        }
        return rate;
    }

    internal void Add(ReceiverSeries series, Instant at, double value)
    {
        var list = series switch
        {
            ReceiverSeries.Connections => connections,
            ReceiverSeries.Limit => limit,
            ReceiverSeries.Backlog => backlog,
            _ => synDrops,
        };
        list.Add(new TimePoint(at.TotalSeconds, value));
    }
}

/// <summary>A sample: seconds since the start of the run, and its value.</summary>
public readonly record struct TimePoint(double Seconds, double Value);
