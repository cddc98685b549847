using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Pooling;
using PipelineSim.Core.Records;
using PipelineSim.Core.Retry;
using PipelineSim.Core.Time;
using PipelineSim.Live.Connect;

namespace PipelineSim.Live.Writer;

/// <summary>
/// One <c>endpoint</c> block of a live <c>pyroscope.write</c>: its own HTTP client and connection pool, and the
/// retry loop of Core's <see cref="PushLoop"/> driven by real time and real requests.
/// </summary>
internal sealed class WriterEndpoint : IDisposable
{
    /// <summary>How many bytes of a failed <c>/ingest</c> response Alloy keeps in its error.</summary>
    private const int IngestErrorBytes = 2048;

    private readonly string writer;
    private readonly WriteEndpointOptions options;
    private readonly LiveContext context;
    private readonly Uri address;
    private readonly Uri pushUri;
    private readonly string instanceId;
    private readonly HttpClient client;
    private readonly bool reusesConnections;
    private readonly ConnectionTracker connections;
    private readonly WriteMetrics metrics;
    private readonly Func<Instant> stoppedAt;
    private readonly Func<TimeSpan>? transit;

    public WriterEndpoint(string writer, WriteEndpointOptions options, Uri address, LiveContext context, string instanceId,
        Func<Instant> stoppedAt, Func<TimeSpan>? transit = null)
    {
        this.stoppedAt = stoppedAt;
        this.transit = transit;
        this.writer = writer;
        this.options = options;
        this.context = context;
        this.address = address;
        this.instanceId = instanceId;
        pushUri = new Uri(address.ToString().TrimEnd('/') + PushEndpointPath);
        connections = new ConnectionTracker(options.Transport, context.Clock);
        client = AlloyHttpClient.Create(options.Transport, connections, context.Clock);
        reusesConnections = FreeConnection.MayBeReused(options.Transport);
        metrics = new WriteMetrics(context.Metrics, writer, options.Url);
    }

    public const string PushEndpointPath = "/push.v1.PusherService/Push";

    /// <summary>Carries the push id to a live receiver, so forwarded pushes name their parent in the records.</summary>
    public const string PushIdHeader = "X-PipelineSim-Push-Id";

    /// <summary>Carries the agent that created the profiles, for the forwarded pushes' records.</summary>
    public const string SourceHeader = "X-PipelineSim-Source";

    public string Url => options.Url;

    public int OpenConnections => connections.Open;

    /// <summary>Dials that completed after their request gave up and were closed, never used (keep-alives off only).</summary>
    public long LateDialsClosed => connections.LateDialsClosed;

    public Task<EndpointFailure?> PushAsync(byte[] body, int profiles, long bytes, PushContext push, CancellationToken aborted,
        CancellationToken stopping) =>
        RunAsync(WriteApi.Push, profiles, bytes, push, aborted, stopping, (deadline, pushId) =>
        {
            var request = NewRequest(pushUri, pushId, push.Source, new ByteArrayContent(body));
            request.Content!.Headers.ContentType = new MediaTypeHeaderValue(ConnectUnary.ProtoContentType);
            request.Headers.TryAddWithoutValidation(ConnectUnary.ProtocolVersionHeader, "1");
            var now = context.Clock.Now;
            if (ConnectTimeout.Encode(deadline, now) is string timeout)
            {
                request.Headers.TryAddWithoutValidation(ConnectTimeout.HeaderName, timeout);
                // The server counts the header from when the request reaches it: now, plus what the way there adds.
                var arrives = transit is null ? now : now + transit();
                request.Headers.TryAddWithoutValidation(DeadlineAnchor.HeaderName, DeadlineAnchor.Format(context.Clock, arrives));
            }
            return request;
        });

    /// <summary>Alloy's <c>AppendIngest</c>: a plain POST, no Connect-Timeout-Ms, the caller's content type kept.</summary>
    public Task<EndpointFailure?> IngestAsync(IngestRequest ingest, PushContext push, CancellationToken aborted, CancellationToken stopping)
    {
        var uri = new Uri(address.ToString().TrimEnd('/') + "/ingest" + ingest.QueryString);
        return RunAsync(WriteApi.Ingest, 1, ingest.Body.Length, push, aborted, stopping, (_, pushId) =>
        {
            var request = NewRequest(uri, pushId, push.Source, new ReadOnlyMemoryContent(ingest.Body));
            if (ingest.ContentType is string type) request.Content!.Headers.TryAddWithoutValidation("Content-Type", type);
            return request;
        });
    }

    public void Dispose() => client.Dispose();

    private HttpRequestMessage NewRequest(Uri uri, long pushId, string source, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        // Endpoint headers first, so the protocol headers below win, as connect-go's own headers do.
        foreach (var (name, value) in options.Headers) request.Headers.TryAddWithoutValidation(name, value);
        request.Headers.TryAddWithoutValidation("User-Agent", "Alloy/pipelinesim-live");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
        request.Headers.TryAddWithoutValidation("X-Alloy-Id", instanceId);
        request.Headers.TryAddWithoutValidation(PushIdHeader, pushId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(SourceHeader, source);
        // Go's DisableKeepAlives: one request per connection, closed after the answer.
        if (options.Transport.DisableKeepAlives) request.Headers.ConnectionClose = true;
        return request;
    }

    private async Task<EndpointFailure?> RunAsync(WriteApi api, int profiles, long bytes, PushContext push, CancellationToken aborted,
        CancellationToken stopping, Func<Deadline, long, HttpRequestMessage> newRequest)
    {
        var clock = context.Clock;
        long pushId = context.NextPushId();
        var start = clock.Now;
        var loop = new PushLoop(options, push.Deadline, start, context.Stream("backoff/" + writer + " " + options.Url, pushId), api);
        var (endpointLatency, downstreamLatency) = api == WriteApi.Push
            ? (metrics.PushEndpoint, metrics.PushDownstream)
            : (metrics.IngestEndpoint, metrics.IngestDownstream);

        try
        {
            var step = loop.Next(start);
            while (step.Kind != PushStepKind.Done)
            {
                if (step.Kind == PushStepKind.Attempt)
                {
                    if (step.IsRetry) metrics.Retries.Increment();
                    var error = await AttemptAsync(api, pushId, loop, newRequest, aborted, stopping).ConfigureAwait(false);
                    downstreamLatency.Observe((clock.Now - loop.AttemptStart).TotalSeconds);
                    step = loop.OnAttemptCompleted(clock.Now, error);
                }
                else
                {
                    try
                    {
                        using var wake = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping);
                        await clock.DelayUntil(step.SleepUntil, wake.Token).ConfigureAwait(false);
                        step = loop.Next(clock.Now);
                    }
                    catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                    {
                        loop.CancelParent();
                        step = loop.Next(clock.Now);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The run stopped mid-loop: the push stays in flight (the loop is not done).
        }
        var result = loop.Result;

        endpointLatency.Observe((clock.Now - start).TotalSeconds);
        var tally = loop.Tally(profiles, bytes);
        metrics.SentBytes.Add(tally.SentBytes);
        metrics.SentProfiles.Add(tally.SentProfiles);
        metrics.DroppedBytes.Add(tally.DroppedBytes);
        metrics.DroppedProfiles.Add(tally.DroppedProfiles);

        // An in-flight push ends with the run, whenever its loop noticed.
        context.Record(end => loop.ToRecord(pushId, push.ParentPushId, push.Source, writer,
            result == PushResult.InFlight ? Instant.Min(end, stoppedAt()) : end, profiles, bytes));

        return result switch
        {
            PushResult.Delivered => null,
            PushResult.Failed => new EndpointFailure(options.Url, loop.LastError!, loop.ErrorText!),
            _ => new EndpointFailure(options.Url, new ConnectError(ConnectCode.Canceled, "context canceled"), "run stopped"),
        };
    }

    /// <summary>
    /// One request, ended by its deadline like Go's <c>context.WithTimeout</c>. The error follows connect-go: a
    /// failure once the deadline has passed is <c>deadline_exceeded</c> whatever the transport was doing, a transport
    /// failure before it is <c>unavailable</c>, and a non-200 answer is read as the server's Connect error.
    /// </summary>
    private async Task<ConnectError?> AttemptAsync(WriteApi api, long pushId, PushLoop loop,
        Func<Deadline, long, HttpRequestMessage> newRequest, CancellationToken aborted, CancellationToken stopping)
    {
        var clock = context.Clock;
        var deadline = loop.AttemptDeadline;
        var probe = new ConnectionProbe();
        ConnectError? error;

        if (loop.FailsBeforeSending(clock.Now, callerCanceled: aborted.IsCancellationRequested) is { } done)
        {
            // Go's transport fails a request whose context is already done without touching the network.
            error = done;
        }
        else
        {
            using var expiry = clock.CancelAt(deadline);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(expiry.Token, aborted, stopping);
            using var request = newRequest(deadline, pushId);
            // A transport that may not reuse a free connection (Core's FreeConnection: Go's tryPutIdleConn refuses
            // it) gets a client of its own for this one request: the connection it dials serves this request only,
            // and a dial completing after the request is over is closed instead of reaching SocketsHttpHandler's pool.
            bool attemptOver = false;
            using var ownClient = reusesConnections ? null : AlloyHttpClient.Create(options.Transport,
                (dial, cancel) => connections.ConnectDetachedAsync(dial, () => Volatile.Read(ref attemptOver), cancel), clock);
            probe.Attach();
            try
            {
                using var response = await (ownClient ?? client).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token)
                    .ConfigureAwait(false);
                byte[] body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
                if (reusesConnections) connections.Returned(probe);
                error = response.StatusCode == HttpStatusCode.OK ? null : ErrorOf(api, response, body);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                throw new OperationCanceledException(stopping);
            }
            catch (Exception) when (expiry.IsCancellationRequested || deadline.IsExpired(clock.Now))
            {
                error = ConnectError.DeadlineExceeded;
            }
            catch (Exception) when (aborted.IsCancellationRequested)
            {
                error = ConnectError.Canceled;
            }
            catch (HttpRequestException e)
            {
                error = new ConnectError(ConnectCode.Unavailable, TransportMessage(e));
            }
            finally
            {
                Volatile.Write(ref attemptOver, true);
            }
        }

        context.Record(end => loop.AttemptRecord(pushId, writer, end,
            new AttemptConnection(probe.ConnectionId, probe.Reused, probe.IdleBefore), error));
        return error;
    }

    private static ConnectError ErrorOf(WriteApi api, HttpResponseMessage response, byte[] body)
    {
        int status = (int)response.StatusCode;
        if (api == WriteApi.Ingest)
        {
            string text = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, IngestErrorBytes));
            return ConnectError.FromHttpStatus(status, text);
        }
        return ConnectUnary.ErrorFromResponse(status, response.ReasonPhrase ?? "",
            response.Content.Headers.ContentType?.ToString(), body);
    }

    /// <summary>The innermost message, closest to Go's "read tcp ...: connection reset by peer".</summary>
    private static string TransportMessage(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e.Message;
    }
}
