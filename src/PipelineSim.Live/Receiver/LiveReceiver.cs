using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Limits;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Core.Server;
using PipelineSim.Core.Time;
using PipelineSim.Live.Connect;
using PipelineSim.Live.Hosting;
using PipelineSim.Live.Metrics;
using PipelineSim.Live.Wire;
using PipelineSim.Live.Writer;
using PipelineSim.Spec;

namespace PipelineSim.Live.Receiver;

/// <summary>
/// A live <c>pyroscope.receive_http</c> on Kestrel (grafana/alloy internal/component/pyroscope/receive_http/receive_http.go): <c>conn_limit</c> enforced below HTTP by a
/// LimitListener, the Connect unary <c>Push</c> endpoint and <c>/ingest</c>, the request deadline taken from
/// <c>Connect-Timeout-Ms</c> and handed to every <c>forward_to</c> target (targets in parallel, series in sequence,
/// 500 <c>internal</c> if any failed), and Go's server read/write/idle timeouts. Its options are the scenario's
/// <see cref="ReceiverSpec"/>, the same record the simulator reads, with the same defaults and validation.
/// </summary>
public sealed class LiveReceiver : IAsyncDisposable
{
    private const string PushPrefix = "/push.v1.PusherService/";

    private readonly ReceiverSpec spec;
    private readonly RequestBodyLimit bodyLimit;
    private readonly LiveContext context;
    private readonly ConnectionSlots slots;
    private readonly HungUpClientRequests hungUpClients;
    private readonly Counter hungUpForwarded;
    private readonly Counter hungUpCanceled;
    private long hungUpArrived = -1;
    private IReadOnlyList<IProfilesTarget> targets = [];
    private KestrelHost? host;
    private long requestsArrived = -1;
    private long requestsHandled;
    private long requestsFailed;
    private int inflight;
    private int peakBacklog;

    private LiveReceiver(ReceiverSpec spec, LiveContext context, HungUpClientRace hungUpRace)
    {
        Name = spec.Name;
        this.spec = spec;
        bodyLimit = spec.BodyLimit;
        this.context = context;
        slots = new ConnectionSlots(spec.Http.ConnLimit, context.Clock);
        hungUpClients = new HungUpClientRequests(hungUpRace);
        const string hungUpHelp = "Requests read after their client had hung up, by outcome (forwarded: a duplicate push).";
        hungUpCanceled = context.Metrics.Counter(MetricNames.HungUpRequests, hungUpHelp,
            MetricLabels.Of(("component_id", Name), ("outcome", "canceled")));
        hungUpForwarded = context.Metrics.Counter(MetricNames.HungUpRequests, hungUpHelp,
            MetricLabels.Of(("component_id", Name), ("outcome", "forwarded")));
    }

    public string Name { get; }

    public IPEndPoint EndPoint => Host.EndPoint;

    public Uri BaseUri => Host.BaseUri;

    public int ConnLimit => slots.Limit;

    /// <summary>pyroscope_receive_http_tcp_connections: accepted connections, never above the limit.</summary>
    public int AcceptedConnections => slots.Accepted;

    public int PeakAcceptedConnections => slots.PeakAccepted;

    /// <summary>
    /// The backlog the kernel applies: the spec's <see cref="ReceiverSpec.AcceptBacklog"/>, which Linux caps at
    /// <c>net.core.somaxconn</c> (net/socket.c, <c>__sys_listen</c>).
    /// </summary>
    public int ListenBacklog { get; private set; }

    /// <summary>Connections waiting in the kernel's accept queue right now (Linux), null where it cannot be read.</summary>
    public int? AcceptBacklog
    {
        get
        {
            int? queued = ListenQueueProbe.TryRead(EndPoint);
            if (queued is int q) InterlockedMax(ref peakBacklog, q);
            return queued;
        }
    }

    private KestrelHost Host => host ?? throw new InvalidOperationException($"Receiver {Name} is not started.");

    /// <summary>
    /// Starts <paramref name="spec"/> on its <c>http</c> block's address and port (an empty address binds
    /// 127.0.0.1, port 0 lets the kernel choose). Throws <see cref="SpecException"/> when the spec is invalid.
    /// </summary>
    public static Task<LiveReceiver> StartAsync(ReceiverSpec spec, LiveContext context, CancellationToken cancellationToken = default) =>
        StartAsync(spec, context, HungUpClientRace.Go, cancellationToken);

    /// <summary>
    /// With Go's race for requests read after their client hung up replaced by <paramref name="hungUpRace"/>: a test
    /// hook that makes the race's outcome certain (probability 0 or 1). It is Go's behaviour, not a setting of
    /// Alloy's, so neither the scenario nor the simulator has it.
    /// </summary>
    internal static async Task<LiveReceiver> StartAsync(ReceiverSpec spec, LiveContext context, HungUpClientRace hungUpRace,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = spec.Validate();
        if (problems.Count > 0) throw new SpecException([.. problems.Select(p => p with { Path = spec.Name + "." + p.Path })]);
        var receiver = new LiveReceiver(spec, context, hungUpRace);
        await receiver.StartAsync(cancellationToken).ConfigureAwait(false);
        return receiver;
    }

    /// <summary>Sets the <c>forward_to</c> targets (settable after start, since writers need the receiver's address first).</summary>
    public void ForwardTo(IEnumerable<IProfilesTarget> forwardTo) => Volatile.Write(ref targets, forwardTo.ToArray());

    /// <summary>Exact figures for the run so far (the backlog peak only as often as it was read).</summary>
    public ReceiverStats Stats()
    {
        var (mean, atLimit) = slots.Occupancy();
        return new ReceiverStats
        {
            Receiver = Name,
            ConnLimit = slots.Limit,
            PeakAcceptedConnections = slots.PeakAccepted,
            MeanAcceptedConnections = mean,
            TimeAtLimit = atLimit,
            AcceptBacklogCapacity = AcceptQueue.Capacity(ListenBacklog),
            PeakAcceptBacklog = Volatile.Read(ref peakBacklog),
            SynDrops = 0,
            ConnectionsAccepted = slots.TotalAccepted,
            RequestsHandled = Interlocked.Read(ref requestsHandled),
            RequestsFailed = Interlocked.Read(ref requestsFailed),
            RequestsAfterHangUp = hungUpClients.Read,
            DuplicateForwards = hungUpClients.Forwarded,
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (host is not null) await host.DisposeAsync().ConfigureAwait(false);
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var http = spec.Http;
        var clock = context.Clock;
        ListenBacklog = Math.Min(spec.AcceptBacklog, ListenQueueProbe.SystemMaxBacklog());
        var hostSpec = new KestrelHostSpec(new IPEndPoint(BindAddress(http.ListenAddress), http.ListenPort))
        {
            Name = Name,
            Warn = context.Warn,
            ListenBacklog = ListenBacklog,
            DecorateTransport = sockets => new LimitListenerFactory(sockets, slots),
            StopTimeout = clock.ToWall(http.GracefulShutdownTimeout) < TimeSpan.FromSeconds(2)
                ? clock.ToWall(http.GracefulShutdownTimeout) : TimeSpan.FromSeconds(2),
            Configure = kestrel =>
            {
                var limits = kestrel.Limits;
                // The limit itself is RequestBodyReader's. Kestrel's cap sits higher so that, after the 413, Kestrel
                // reads and discards the rest of a body up to Go's allowance instead of closing with unread bytes,
                // which makes the kernel answer RST and can destroy the 413 before the client reads it.
                limits.MaxRequestBodySize = RequestBodyReader.WithUnreadAllowance(spec.MaxRequestBodyBytes);
                // Go has no minimum data rates; its read timeout covers a slow body instead.
                limits.MinRequestBodyDataRate = null;
                limits.MinResponseDataRate = null;
                // Kestrel's own connection cap would accept and close: the LimitListener is the limit.
                limits.MaxConcurrentConnections = null;
            },
            // Go's read, read-header, write and idle deadlines, decided by Core per connection.
            GoServer = new GoServerConnections(GoServerTimeouts.From(http), clock),
            // Each connection's accept instant: a request that waited in the backlog counts its timeout from there.
            Clock = clock,
            // A client that hung up in the backlog: its request is read and handled, and its FIN noticed once the body
            // is read, as Go does, so that Core's race decides whether the handler forwards (DecodeAsync).
            HoldHungUpClientFin = true,
        };
        host = await KestrelHost.StartAsync(hostSpec, HandleAsync, cancellationToken).ConfigureAwait(false);
        RegisterMetrics();
    }

    private void RegisterMetrics()
    {
        var registry = context.Metrics;
        var labels = MetricLabels.Of(("component_id", Name), ("protocol", "http"));
        registry.Gauge(MetricNames.ReceiveTcpConnections, "Current number of accepted TCP connections.", labels,
            () => slots.Accepted);
        registry.Gauge(MetricNames.ReceiveTcpConnectionsLimit, "The max number of TCP connections that can be accepted (0 means no limit).",
            labels, () => slots.Limit);
        registry.Gauge(MetricNames.ReceiveInflightRequests, "Current number of inflight requests.",
            MetricLabels.Of(("component_id", Name), ("method", "POST"), ("route", "all")), () => Volatile.Read(ref inflight));
        registry.Gauge(MetricNames.AcceptBacklog, "Connections completed by the kernel but not yet accepted (Linux /proc/net/tcp).",
            MetricLabels.Of(("component_id", Name)), () => AcceptBacklog ?? double.NaN);
    }

    private async Task HandleAsync(HttpContext http)
    {
        // Kestrel calls here once the request headers are read: Go sets the write deadline then.
        var headersRead = context.Clock.Now;
        if (!GoServerConnections.TryBegin(http, out var served)) return; // the header deadline passed: closed
        using var request = served;
        Interlocked.Increment(ref inflight);
        try
        {
            string path = http.Request.Path.Value ?? "";
            if (path == PushPrefix + "Push") await OnlyPost(http, () => HandlePushAsync(http, headersRead, request)).ConfigureAwait(false);
            else if (path == "/ingest") await OnlyPost(http, () => HandleIngestAsync(http, request)).ConfigureAwait(false);
            else await NotFoundAsync(http.Response).ConfigureAwait(false);
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        finally
        {
            if (PeerHangUp.Of(http) is { } hungUp)
            {
                // Go's background read starts once the handler is done, if the body was not read to its end before.
                hungUp.StartBackgroundRead();
                if (hungUp.TryCount())
                {
                    // Read after its client hung up, and ended before the race: the body was cut short or the request
                    // refused. Counted, never forwarded.
                    hungUpClients.OnEndedBeforeForward();
                    hungUpCanceled.Increment();
                }
            }
            Interlocked.Decrement(ref inflight);
        }
    }

    private static async Task OnlyPost(HttpContext http, Func<Task> handle)
    {
        if (HttpMethods.IsPost(http.Request.Method))
        {
            await handle().ConfigureAwait(false);
            return;
        }
        http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        http.Response.Headers.Allow = "POST";
    }

    /// <summary>Go's http.NotFound: 404 with a plain-text body.</summary>
    private static Task NotFoundAsync(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status404NotFound;
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync("404 page not found\n");
    }

    private async Task HandlePushAsync(HttpContext http, Instant headersRead, GoServerConnections.ServedRequest? served)
    {
        var request = http.Request;
        if (ConnectUnary.CodecOf(request.ContentType) is not ConnectCodec codec)
        {
            await ConnectUnary.WriteUnsupportedMediaTypeAsync(http.Response).ConfigureAwait(false);
            return;
        }
        // Go counts Connect-Timeout-Ms from the request's read: a request that waited in the accept backlog (a client
        // that hung up there too) is read when its connection is accepted, long after it was sent.
        var anchor = DeadlineAnchor.Resolve(request.Headers[DeadlineAnchor.HeaderName].ToString(), context.Clock, headersRead,
            ConnectionAccept.Of(http));
        if (!ConnectTimeout.TryDecode(request.Headers[ConnectTimeout.HeaderName].ToString(), anchor, out var deadline, out var bad))
        {
            await ConnectUnary.WriteErrorAsync(http.Response, bad!).ConfigureAwait(false);
            return;
        }
        var body = await ReadBodyAsync(http, served).ConfigureAwait(false);
        if (body.Error is not null)
        {
            await ConnectUnary.WriteErrorAsync(http.Response, body.Error, body.Status).ConfigureAwait(false);
            return;
        }
        if (body.Bytes is null) return; // the read timed out and the connection is gone
        if (!ConnectUnary.TryDecode(body.Bytes, codec, PushRequest.Parser, out var push, out var malformed))
        {
            await ConnectUnary.WriteErrorAsync(http.Response, malformed!).ConfigureAwait(false);
            return;
        }

        var forwardUnder = await DecodeAsync(http).ConfigureAwait(false);
        var upstream = UpstreamOf(request, deadline);
        var errors = await ForwardAsync(push, upstream, forwardUnder).ConfigureAwait(false);
        Interlocked.Increment(ref requestsHandled);
        if (errors.Count > 0) Interlocked.Increment(ref requestsFailed);
        if (served is not null && !served.TryWriteResponse()) return;
        if (errors.Count > 0)
        {
            await ConnectUnary.WriteErrorAsync(http.Response, new ConnectError(ConnectCode.Internal, string.Join("\n", errors)))
                .ConfigureAwait(false);
            return;
        }
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = ConnectUnary.ContentTypeOf(codec);
        await http.Response.Body.WriteAsync(ConnectUnary.Encode(new PushResponse(), codec)).ConfigureAwait(false);
    }

    /// <summary>
    /// receive_http's Push: one goroutine per target, and within it one Append per series, in order. Each failure is
    /// wrapped as Alloy wraps it.
    /// </summary>
    private async Task<List<string>> ForwardAsync(PushRequest push, PushContext upstream, CancellationToken aborted)
    {
        var forwardTo = Volatile.Read(ref targets);
        var perTarget = await Task.WhenAll(forwardTo.Select(async (target, index) =>
        {
            var failures = new List<string>();
            foreach (var series in push.Series)
            {
                var named = EnsureServiceName(series);
                var result = await target.AppendAsync(named, upstream, aborted).ConfigureAwait(false);
                if (!result.Succeeded)
                    failures.Add($"unable to append series {LabelsText(named)} to appendable {index}: {result.Error}");
            }
            return failures;
        })).ConfigureAwait(false);
        return perTarget.SelectMany(f => f).ToList();
    }

    private async Task HandleIngestAsync(HttpContext http, GoServerConnections.ServedRequest? served)
    {
        var body = await ReadBodyAsync(http, served).ConfigureAwait(false);
        if (body.Error is not null)
        {
            http.Response.StatusCode = IngestStatusOf(body);
            http.Response.ContentType = "text/plain; charset=utf-8";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            await http.Response.WriteAsync(body.Error.Message + "\n").ConfigureAwait(false);
            return;
        }
        if (body.Bytes is null) return;

        var forwardUnder = await DecodeAsync(http).ConfigureAwait(false);
        // Plain HTTP carries no Connect-Timeout-Ms: the forwarded ingest has no deadline at all.
        var upstream = UpstreamOf(http.Request, Deadline.None);
        var ingest = new IngestRequest(body.Bytes, http.Request.ContentType, http.Request.QueryString.Value ?? "");
        var forwardTo = Volatile.Read(ref targets);
        var results = await Task.WhenAll(forwardTo.Select(t => t.AppendIngestAsync(ingest, upstream, forwardUnder)))
            .ConfigureAwait(false);
        Interlocked.Increment(ref requestsHandled);
        var failures = results.SelectMany(r => r.Failures).ToList();
        if (failures.Count > 0) Interlocked.Increment(ref requestsFailed);
        if (served is not null && !served.TryWriteResponse()) return;
        if (failures.Count == 0)
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }
        // The first PyroscopeWriteError decides the status; otherwise a plain 500.
        if (failures.FirstOrDefault(f => f.LastError.HttpStatus is not null) is { LastError.HttpStatus: int status })
        {
            http.Response.StatusCode = status;
            await http.Response.WriteAsync(ReasonPhrases.GetReasonPhrase(status) + "\n").ConfigureAwait(false);
            return;
        }
        http.Response.StatusCode = StatusCodes.Status500InternalServerError;
        await http.Response.WriteAsync("Failed to process request\n").ConfigureAwait(false);
    }

    /// <summary>
    /// The handler's decoding time before forwarding, drawn per request from its own stream; answers the token the
    /// forward runs under. A request read after its client hung up (its body was read from the buffer, and Kestrel has
    /// been shown the FIN only now, as Go's background read finds it) runs under Core's verdict on Go's race
    /// (<see cref="HungUpClientRace"/>), as in the simulator: forwarded, it runs under no token at all, for the
    /// request's own is about to be canceled by that FIN; canceled, the writers fail at once.
    /// </summary>
    private async Task<CancellationToken> DecodeAsync(HttpContext http)
    {
        long index = Interlocked.Increment(ref requestsArrived);
        TimeSpan? decode = spec.HandlerTime is { } handlerTime
            ? TimeSpan.FromSeconds(Math.Max(0, handlerTime.Sample(context.Stream("receiver/" + Name, index))))
            : null;
        var forwardUnder = http.RequestAborted;
        if (PeerHangUp.Of(http) is { } hungUp && hungUp.TryCount())
        {
            var started = context.Clock.Now;
            double draw = context.Stream("receiver/" + Name + "/hung-up-race", Interlocked.Increment(ref hungUpArrived)).NextDouble();
            bool forwards = hungUpClients.OnHandlerStarted(started, started + (decode ?? TimeSpan.Zero), draw);
            (forwards ? hungUpForwarded : hungUpCanceled).Increment();
            // Canceled: the writers fail at once with the context's code, as Go's do when the background read won.
            if (!forwards) return new CancellationToken(canceled: true);
            forwardUnder = CancellationToken.None;
        }
        if (decode is { } wait) await context.Clock.Delay(wait, forwardUnder).ConfigureAwait(false);
        return forwardUnder;
    }

    private PushContext UpstreamOf(HttpRequest request, Deadline deadline)
    {
        long? parent = long.TryParse(request.Headers[WriterEndpoint.PushIdHeader].ToString(), NumberStyles.None,
            CultureInfo.InvariantCulture, out long id) ? id : null;
        string source = request.Headers[WriterEndpoint.SourceHeader].ToString();
        return new PushContext(source.Length > 0 ? source : Name, deadline, parent);
    }

    private readonly record struct Body(byte[]? Bytes, ConnectError? Error = null, int? Status = null);

    /// <summary>
    /// Reads the whole body by Go's read deadline (ReadTimeout from the start of the request's read, as Core's
    /// connection timeouts say) and the size limit, which bounds the inflated size of a gzip body (Connect's request
    /// compression) too; see <see cref="RequestBodyReader"/> for what that costs in memory.
    /// </summary>
    private async Task<Body> ReadBodyAsync(HttpContext http, GoServerConnections.ServedRequest? served)
    {
        string encoding = http.Request.Headers.ContentEncoding.ToString();
        bool gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
            return new Body(null, new ConnectError(ConnectCode.Unimplemented, $"unknown compression \"{encoding}\": supported encodings are gzip"));

        using var timeout = context.Clock.CancelAt(served?.BodyDeadline ?? Deadline.None);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, http.RequestAborted);
        long limit = spec.MaxRequestBodyBytes;
        try
        {
            var (bytes, problem) = await RequestBodyReader.ReadAsync(http.Request.Body, http.Request.ContentLength, limit, linked.Token)
                .ConfigureAwait(false);
            if (problem == BodyProblem.TooLarge) return TooLarge("request body");
            // The body hit its end: Go's background read starts here (server.go: registerOnHitEOF).
            PeerHangUp.Of(http)?.StartBackgroundRead();
            if (served is not null && !served.BodyRead()) return new Body(null);
            if (!gzip) return new Body(bytes);
            var (plain, inflateProblem, error) = RequestBodyReader.Gunzip(bytes!, limit);
            return inflateProblem switch
            {
                BodyProblem.TooLarge => TooLarge("decompressed body"),
                BodyProblem.BadGzip => new Body(null, new ConnectError(ConnectCode.InvalidArgument, $"decompress request: {error}")),
                _ => new Body(plain),
            };
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge("request body");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // Go's read deadline fails the read and the server closes the connection (Core's timer aborts it too).
            http.Abort();
            return new Body(null);
        }
        catch (Exception e) when (e is BadHttpRequestException or EndOfStreamException && !http.RequestAborted.IsCancellationRequested)
        {
            // The body ended before its Content-Length or its chunk framing broke: the client's fault.
            return new Body(null, new ConnectError(ConnectCode.InvalidArgument, $"read request body: {e.Message}"));
        }
    }

    private Body TooLarge(string what) => new(null, bodyLimit.Refusal(what), RequestBodyLimit.HttpStatus);

    /// <summary>
    /// What <c>/ingest</c> (plain HTTP, not Connect) answers for a body it cannot read: the client's fault, so a 4xx a
    /// client does not retry, with Go's <c>http.Error</c> text body. Push's codes map over: invalid_argument is 400;
    /// an unknown <c>Content-Encoding</c> (Push's unimplemented) is 415, HTTP's answer to a content coding the server
    /// does not support (RFC 9110 §15.5.16); a body over the limit stays 413.
    /// </summary>
    private static int IngestStatusOf(Body body) => body.Status ?? body.Error!.Code switch
    {
        ConnectCode.Unimplemented => StatusCodes.Status415UnsupportedMediaType,
        ConnectCode.InvalidArgument => StatusCodes.Status400BadRequest,
        var code => ConnectCodes.ToHttpStatus(code),
    };

    /// <summary>receive_http's ensureServiceName: service_name from __name__ when absent, otherwise app_name.</summary>
    internal static RawProfileSeries EnsureServiceName(RawProfileSeries series)
    {
        string? name = series.Labels.FirstOrDefault(l => l.Name == "__name__")?.Value;
        if (name is null) return series;
        var copy = series.Clone();
        bool hasService = copy.Labels.Any(l => l.Name == "service_name");
        string target = hasService ? "app_name" : "service_name";
        var existing = copy.Labels.FirstOrDefault(l => l.Name == target);
        if (existing is not null) existing.Value = name;
        else copy.Labels.Add(new LabelPair { Name = target, Value = name });
        return copy;
    }

    private static string LabelsText(RawProfileSeries series) =>
        "{" + string.Join(", ", series.Labels.OrderBy(l => l.Name, StringComparer.Ordinal).Select(l => $"{l.Name}=\"{l.Value}\"")) + "}";

    private static IPAddress BindAddress(string listenAddress)
    {
        if (listenAddress.Length == 0 || listenAddress.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.Loopback;
        return IPAddress.TryParse(listenAddress, out var address)
            ? address
            : throw new ArgumentException($"listen_address \"{listenAddress}\" is not an IP address.");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
