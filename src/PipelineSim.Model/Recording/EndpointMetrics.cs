using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Core.Retry;
using PipelineSim.Model.Http;

namespace PipelineSim.Model.Recording;

/// <summary>
/// The <c>pyroscope_write_*</c> series of one writer component's endpoint (summed over per-agent copies, as a
/// dashboard summing over instances would show them), plus exact run figures for the result.
/// </summary>
internal sealed class EndpointMetrics
{
    private readonly List<IRequestTransport> walked = [];
    private readonly LatencyLog latencies = new();
    private long[] attemptsPerPush = new long[16];

    public EndpointMetrics(string writer, string url)
    {
        Writer = writer;
        Url = url;
    }

    public string Writer { get; }

    public string Url { get; }

    // Alloy's counters.
    public long SentBytes { get; set; }

    public long DroppedBytes { get; set; }

    public long SentProfiles { get; set; }

    public long DroppedProfiles { get; set; }

    public long Retries { get; set; }

    /// <summary>type="push_endpoint": the whole retry loop.</summary>
    public LatencyHistogram EndpointLatency { get; } = new();

    /// <summary>type="push_downstream": one attempt.</summary>
    public LatencyHistogram DownstreamLatency { get; } = new();

    // Exact run figures.
    public long Pushes { get; set; }

    public long Delivered { get; private set; }

    public long Failed { get; private set; }

    public CodeCounts FailedByCode { get; } = new();

    public long Attempts { get; private set; }

    public long AttemptsReused { get; private set; }

    public CodeCounts AttemptsByCode { get; } = new();

    /// <summary>Every finished push's latency in ticks, for exact percentiles.</summary>
    public LatencyLog PushLatencies => latencies;

    public ReadOnlySpan<long> AttemptsPerPush => attemptsPerPush;

    public int MaxAttempts { get; private set; }

    /// <summary>What HTTP/1.1 transports of this endpoint report as their connections change.</summary>
    public ConnectionTally Tally { get; } = new();

    /// <summary>A transport that does not report to <see cref="Tally"/> (HTTP/2: a stream count changes idleness): it is walked at every sample.</summary>
    public void AddWalkedTransport(IRequestTransport transport) => walked.Add(transport);

    public (int Active, int Idle) Connections()
    {
        int open = Tally.Open, idle = Tally.Idle;
        foreach (var transport in walked)
        {
            open += transport.Open;
            idle += transport.Idle;
        }
        return (open - idle, idle);
    }

    public void OnAttempt(ConnectCode code, bool reused, long latency)
    {
        Attempts++;
        if (reused) AttemptsReused++;
        AttemptsByCode.Add(code);
        DownstreamLatency.Observe(latency);
    }

    /// <param name="tally">What the push adds to the sent and dropped counters, as Core's <see cref="PushLoop.Tally"/> decides.</param>
    public void OnPushDone(bool delivered, ConnectCode code, int attempts, long latency, WriteTally tally)
    {
        if (delivered) Delivered++;
        else
        {
            Failed++;
            FailedByCode.Add(code);
        }
        SentBytes += tally.SentBytes;
        SentProfiles += tally.SentProfiles;
        DroppedBytes += tally.DroppedBytes;
        DroppedProfiles += tally.DroppedProfiles;
        EndpointLatency.Observe(latency);
        latencies.Add(latency);
        if (attempts >= attemptsPerPush.Length) Array.Resize(ref attemptsPerPush, Math.Max(attempts + 1, attemptsPerPush.Length * 2));
        attemptsPerPush[attempts]++;
        MaxAttempts = Math.Max(MaxAttempts, attempts);
    }
}

/// <summary>A writer component's series: its endpoints' and the <c>push_total</c> histogram (endpoint="-").</summary>
internal sealed class WriterMetrics
{
    public WriterMetrics(string writer, IReadOnlyList<EndpointMetrics> endpoints)
    {
        Writer = writer;
        Endpoints = endpoints;
    }

    public string Writer { get; }

    public IReadOnlyList<EndpointMetrics> Endpoints { get; }

    public LatencyHistogram TotalLatency { get; } = new();
}
