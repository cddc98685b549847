using Google.Protobuf;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Time;
using PipelineSim.Live.Metrics;
using PipelineSim.Live.Wire;

namespace PipelineSim.Live.Writer;

/// <summary>
/// A live <c>pyroscope.write</c>: pushes each request to all its endpoints concurrently and fails if any failed
/// (grafana/alloy internal/component/pyroscope/write/write.go), each endpoint with its own connection pool and Core's retry loop.
/// </summary>
public sealed class LiveWriter : IProfilesTarget, IAsyncDisposable
{
    private readonly WriteOptions options;
    private readonly LiveContext context;
    private readonly WriterEndpoint[] endpoints;
    private readonly Histogram pushTotal;
    private readonly Histogram ingestTotal;
    private readonly CancellationTokenSource stopping = new();
    private int inFlight;
    private int disposed;

    /// <param name="name">The component id (<c>w1</c>): the <c>component_id</c> label and the records' writer.</param>
    /// <param name="addresses">
    /// Where to connect for an endpoint whose <see cref="WriteEndpointOptions.Url"/> is not itself an address (a
    /// scenario names components, <c>url: r</c>); the URL stays the endpoint's name in metrics and records.
    /// </param>
    /// <param name="transits">
    /// The scenario's one-way latency to an endpoint (by URL) that the way there adds, a fault proxy's: a request
    /// reaches the server that much after it was sent, and the server counts Connect-Timeout-Ms from then.
    /// </param>
    public LiveWriter(string name, WriteOptions options, LiveContext context, IReadOnlyDictionary<string, Uri>? addresses = null,
        IReadOnlyDictionary<string, Func<TimeSpan>>? transits = null)
    {
        if (options.Endpoints.Count == 0) throw new ArgumentException($"Writer {name} has no endpoint.", nameof(options));
        Name = name;
        this.options = options;
        this.context = context;
        string instanceId = $"{name}-{context.Stream("instance/" + name).NextUInt64() >> 32:x8}";
        endpoints = options.Endpoints
            .Select(e => new WriterEndpoint(name, e, AddressOf(e.Url, addresses), context, instanceId, () => StoppedAt,
                transits?.GetValueOrDefault(e.Url)))
            .ToArray();
        pushTotal = WriteMetrics.Total(context.Metrics, name, "push_total");
        ingestTotal = WriteMetrics.Total(context.Metrics, name, "ingest_total");
    }

    public string Name { get; }

    /// <summary>Client connections open across all endpoints.</summary>
    public int OpenConnections => endpoints.Sum(e => e.OpenConnections);

    /// <summary>Dials that completed after their request gave up and were closed unused (endpoints with keep-alives off).</summary>
    public long LateDialsClosed => endpoints.Sum(e => e.LateDialsClosed);

    /// <summary>Pushes still running.</summary>
    public int InFlight => Volatile.Read(ref inFlight);

    /// <summary>
    /// A push from a source inside this Alloy (an agent's scrape): the series' labels get the Append treatment, then
    /// the request goes to every endpoint.
    /// </summary>
    public async Task<WriteResult> PushAsync(PushRequest request, PushContext push, CancellationToken cancellationToken = default)
    {
        var prepared = new PushRequest();
        foreach (var series in request.Series)
        {
            var labels = SeriesLabels.Prepare(series.Labels, options.ExternalLabels, out string? invalid);
            if (labels is null)
                return new WriteResult([new EndpointFailure("-", new ConnectError(ConnectCode.InvalidArgument, invalid!), invalid!)]);
            var copy = new RawProfileSeries();
            copy.Labels.AddRange(labels);
            copy.Samples.AddRange(series.Samples);
            prepared.Series.Add(copy);
        }
        byte[] body = prepared.ToByteArray();
        int profiles = prepared.Series.Sum(s => s.Samples.Count);
        long bytes = prepared.Series.Sum(s => s.Samples.Sum(sample => (long)sample.RawProfile.Length));
        return await FanOutAsync(pushTotal,
            (endpoint, stop) => endpoint.PushAsync(body, profiles, bytes, push, cancellationToken, stop)).ConfigureAwait(false);
    }

    public Task<WriteResult> AppendAsync(RawProfileSeries series, PushContext context, CancellationToken cancellationToken) =>
        PushAsync(new PushRequest { Series = { series } }, context, cancellationToken);

    public Task<WriteResult> AppendIngestAsync(IngestRequest request, PushContext push, CancellationToken cancellationToken) =>
        FanOutAsync(ingestTotal, (endpoint, stop) => endpoint.IngestAsync(request, push, cancellationToken, stop));

    /// <summary>
    /// Ends the run for this writer: pushes still running stop where they are and are recorded as in flight. Stop
    /// every writer of a pipeline before awaiting any, so that no push sees its upstream vanish and records a
    /// cancellation instead.
    /// </summary>
    public void BeginStop()
    {
        lock (stopping)
        {
            if (stopping.IsCancellationRequested) return;
            StoppedAt = context.Clock.Now;
            stopping.Cancel();
        }
    }

    /// <summary>When <see cref="BeginStop"/> ended the run for this writer: the end of its in-flight pushes.</summary>
    public Instant StoppedAt { get; private set; } = Instant.MaxValue;

    /// <summary>Stops (see <see cref="BeginStop"/>), lets running loops record themselves, then closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        BeginStop();
        for (int i = 0; i < 200 && InFlight > 0; i++) await Task.Delay(10).ConfigureAwait(false);
        foreach (var endpoint in endpoints) endpoint.Dispose();
        stopping.Dispose();
    }

    private async Task<WriteResult> FanOutAsync(Histogram total, Func<WriterEndpoint, CancellationToken, Task<EndpointFailure?>> push)
    {
        Interlocked.Increment(ref inFlight);
        try
        {
            var started = context.Clock.Now;
            var stop = stopping.Token;
            var failures = await Task.WhenAll(endpoints.Select(e => push(e, stop))).ConfigureAwait(false);
            total.Observe((context.Clock.Now - started).TotalSeconds);
            var failed = failures.OfType<EndpointFailure>().ToList();
            return failed.Count == 0 ? WriteResult.Success : new WriteResult(failed);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    private static Uri AddressOf(string url, IReadOnlyDictionary<string, Uri>? addresses)
    {
        if (addresses is not null && addresses.TryGetValue(url, out var address)) return address;
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https") return absolute;
        throw new ArgumentException($"Endpoint url \"{url}\" is neither an http(s) address nor a known component.");
    }
}
