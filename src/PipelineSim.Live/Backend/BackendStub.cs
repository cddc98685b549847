using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using PipelineSim.Core.Backend;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Server;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;
using PipelineSim.Live.Connect;
using PipelineSim.Live.Hosting;
using PipelineSim.Live.Metrics;
using PipelineSim.Live.Wire;
using PipelineSim.Spec;

namespace PipelineSim.Live.Backend;

/// <summary>What the backend did with one request, for tests and records.</summary>
/// <param name="Index">Arrival order, from 0: the index that decides (with the seed) whether it fails.</param>
/// <param name="ConnectTimeoutHeader">The raw <c>Connect-Timeout-Ms</c> value; null when absent.</param>
/// <param name="Deadline">The deadline the header gave at arrival.</param>
public sealed record BackendRequest(long Index, string Path, Instant Arrival, Instant End, string? ConnectTimeoutHeader,
    Deadline Deadline, ConnectCode Code, int Profiles);

/// <summary>
/// A stand-in Pyroscope server on Kestrel, driven by the same rules as the simulator's backend: Core's
/// <see cref="BackendAdmission{T}"/> decides outage windows, the token bucket, serving slots, the bounded queue and
/// the error draw; Core's <see cref="RequestFaults"/> answers a body over the limit, broken framing, an unknown
/// Content-Type and a body read past the read deadline. This class supplies real time, sockets and the random draws
/// (the seed and the arrival index decide the latency and whether a request fails). An answer later than the server
/// write timeout is withheld and the connection aborted, as Go's server does.
/// </summary>
public sealed class BackendStub : IAsyncDisposable
{
    /// <summary>Where a stub listens unless told otherwise: loopback, a port the kernel chooses.</summary>
    public static IPEndPoint Loopback => new(IPAddress.Loopback, 0);

    private readonly BackendSpec spec;
    private readonly LiveContext context;
    private readonly Instant started;
    private readonly object gate = new();
    private readonly BackendAdmission<QueuedRequest> admission;
    private KestrelHost? host;
    private long arrivals = -1;
    private long profilesDelivered;
    private long ingested;
    private long rejected;
    private int openConnections;
    private int peakConnections;

    private BackendStub(BackendSpec spec, IEnumerable<OutageSpec>? extraOutages, LiveContext context)
    {
        var problems = spec.Validate();
        if (problems.Count > 0) throw new SpecException([.. problems.Select(p => p with { Path = spec.Name + "." + p.Path })]);
        this.spec = spec;
        this.context = context;
        started = context.Clock.Now;
        admission = new BackendAdmission<QueuedRequest>(spec.ToRules(extraOutages));
    }

    public string Name => spec.Name;

    public BackendSpec Spec => spec;

    public Uri BaseUri => Host.BaseUri;

    public IPEndPoint EndPoint => Host.EndPoint;

    /// <summary>Requests received so far.</summary>
    public long Requests => Interlocked.Read(ref arrivals) + 1;

    /// <summary>Requests answered 200: pushes stored.</summary>
    public long Ingested => Interlocked.Read(ref ingested);

    /// <summary>Requests answered with an error without being served (outage, rate limit, full queue).</summary>
    public long Rejected => Interlocked.Read(ref rejected);

    /// <summary>Profiles in requests answered 200.</summary>
    public long ProfilesDelivered => Interlocked.Read(ref profilesDelivered);

    /// <summary>The most client connections open at once.</summary>
    public int PeakConnections => Volatile.Read(ref peakConnections);

    /// <summary>Requests holding a serving slot now.</summary>
    public int Serving
    {
        get
        {
            lock (gate) return admission.Serving;
        }
    }

    /// <summary>Requests waiting for a serving slot now (those that gave up are not counted).</summary>
    public int Queued
    {
        get
        {
            lock (gate) return admission.Queued;
        }
    }

    /// <summary>Raised when a request has been answered (on a server thread).</summary>
    public event Action<BackendRequest>? RequestCompleted;

    private KestrelHost Host => host ?? throw new InvalidOperationException($"Backend {Name} is not started.");

    /// <summary>Starts a backend for <paramref name="spec"/> on <paramref name="listen"/> (default <see cref="Loopback"/>).</summary>
    /// <param name="extraOutages">Outage windows from faults, beside the spec's own (time from the stub's start).</param>
    public static async Task<BackendStub> StartAsync(BackendSpec spec, LiveContext context, IPEndPoint? listen = null,
        IEnumerable<OutageSpec>? extraOutages = null, CancellationToken cancellationToken = default)
    {
        var backend = new BackendStub(spec, extraOutages, context);
        backend.host = await KestrelHost.StartAsync(new KestrelHostSpec(listen ?? Loopback)
        {
            Name = spec.Name,
            Warn = context.Warn, // out of descriptors: Go's "accept: too many open files; retrying in 5ms"
            Configure = kestrel =>
            {
                kestrel.Limits.MaxRequestBodySize = spec.MaxRequestBodyBytes;
                kestrel.Limits.MinRequestBodyDataRate = null;
            },
            GoServer = new GoServerConnections(
                GoServerTimeouts.Backend(spec.ServerReadTimeout, spec.ServerWriteTimeout, spec.ServerIdleTimeout), context.Clock),
            ConnectionMiddleware = backend.CountConnection,
        }, backend.HandleAsync, cancellationToken).ConfigureAwait(false);
        var labels = MetricLabels.Of(("component_id", spec.Name));
        context.Metrics.Gauge(MetricNames.BackendRequests, "Requests being served and waiting at a backend.",
            labels.With("state", "serving"), () => backend.Serving);
        context.Metrics.Gauge(MetricNames.BackendRequests, "Requests being served and waiting at a backend.",
            labels.With("state", "queued"), () => backend.Queued);
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        if (host is not null) await host.DisposeAsync().ConfigureAwait(false);
    }

    private ConnectionDelegate CountConnection(ConnectionDelegate next) => async connection =>
    {
        InterlockedMax(ref peakConnections, Interlocked.Increment(ref openConnections));
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref openConnections);
        }
    };

    private async Task HandleAsync(HttpContext http)
    {
        var clock = context.Clock;
        var arrival = clock.Now;
        if (!GoServerConnections.TryBegin(http, out var served)) return; // Go's header deadline passed: closed
        using var request = served;
        long index = Interlocked.Increment(ref arrivals);
        string path = http.Request.Path.Value ?? "";
        bool isPush = path == "/push.v1.PusherService/Push";
        if (!HttpMethods.IsPost(http.Request.Method) || !(isPush || path == "/ingest"))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        string? header = http.Request.Headers[ConnectTimeout.HeaderName].FirstOrDefault();
        // No conn_limit holds a backend's accepts back (nor the simulator's), so no request waits in its backlog for one:
        // each counts from its arrival, and no accept stamp is taken (ConnectionAccept).
        var anchor = DeadlineAnchor.Resolve(http.Request.Headers[DeadlineAnchor.HeaderName].FirstOrDefault(), clock, arrival);
        ConnectCodec? codec = isPush ? ConnectUnary.CodecOf(http.Request.ContentType) : null;
        if (isPush && codec is null)
        {
            await WriteFaultAsync(http, RequestFault.UnsupportedMediaType, isPush).ConfigureAwait(false);
            Complete(index, path, arrival, header, Deadline.None, ConnectCodes.FromHttpStatus(StatusCodes.Status415UnsupportedMediaType), 0);
            return;
        }
        if (!ConnectTimeout.TryDecode(header, anchor, out var deadline, out var bad))
        {
            await ConnectUnary.WriteErrorAsync(http.Response, bad!).ConfigureAwait(false);
            Complete(index, path, arrival, header, deadline, bad!.Code, 0);
            return;
        }

        var (code, profiles, fault) = await ServeAsync(http, index, arrival, deadline, codec).ConfigureAwait(false);
        if (fault is RequestFault bodyFault)
        {
            await WriteFaultAsync(http, bodyFault, isPush).ConfigureAwait(false);
        }
        else if (request is not null && !request.TryWriteResponse())
        {
            // Go's write deadline passed while the handler ran: the client gets no answer, only a closed connection.
            http.Abort();
        }
        else if (code == ConnectCode.Ok)
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            if (codec is ConnectCodec pushCodec)
            {
                http.Response.ContentType = ConnectUnary.ContentTypeOf(pushCodec);
                await http.Response.Body.WriteAsync(ConnectUnary.Encode(new PushResponse(), pushCodec)).ConfigureAwait(false);
            }
        }
        else if (isPush)
        {
            await ConnectUnary.WriteErrorAsync(http.Response, new ConnectError(code, $"backend {Name}: injected {ConnectCodes.Name(code)}"))
                .ConfigureAwait(false);
        }
        else
        {
            http.Response.StatusCode = ConnectCodes.ToHttpStatus(code);
        }
        if (code == ConnectCode.Ok)
        {
            // Stored whether or not the answer got through: that is how retries make duplicates.
            Interlocked.Increment(ref ingested);
            Interlocked.Add(ref profilesDelivered, profiles);
        }
        Complete(index, path, arrival, header, deadline, code, profiles);
    }

    /// <summary>Answers a request that could not be read, as Core's <see cref="RequestFaults"/> says every server does.</summary>
    private async Task WriteFaultAsync(HttpContext http, RequestFault fault, bool isPush)
    {
        var answer = RequestFaults.Answer(fault);
        if (answer.CloseWithoutAnswer)
        {
            http.Abort();
            return;
        }
        if (answer.Code is ConnectCode code && isPush)
        {
            await ConnectUnary.WriteErrorAsync(http.Response, new ConnectError(code, FaultMessage(fault)), answer.HttpStatus)
                .ConfigureAwait(false);
            return;
        }
        if (fault == RequestFault.UnsupportedMediaType) await ConnectUnary.WriteUnsupportedMediaTypeAsync(http.Response).ConfigureAwait(false);
        else http.Response.StatusCode = answer.HttpStatus;
    }

    private string FaultMessage(RequestFault fault) => fault switch
    {
        RequestFault.BodyTooLarge => $"request body larger than {spec.MaxRequestBodyBytes} bytes",
        RequestFault.BrokenFraming => "read request body: malformed framing",
        _ => ConnectCodes.Name(ConnectCode.InvalidArgument),
    };

    /// <summary>
    /// Reads the body (within Go's read deadline, which <see cref="GoServerConnections"/> keeps), then asks
    /// Core's admission: outage, rate limit, queue, serving slot; then the latency, then the injected error draw.
    /// connect-go reads and decodes the whole request before the handler runs, so every admission answer comes after
    /// the read.
    /// </summary>
    private async Task<(ConnectCode Code, int Profiles, RequestFault? Fault)> ServeAsync(HttpContext http, long index, Instant arrival,
        Deadline deadline, ConnectCodec? codec)
    {
        var clock = context.Clock;
        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
            // Go's read deadline (Core's ServerConnectionTimeouts, kept by GoServerConnections) passed while the body
            // came in: the connection is closed without an answer.
            if (!GoServerConnections.BodyRead(http)) return (ConnectCode.Unavailable, 0, RequestFault.BodyReadTimedOut);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e)
        {
            return (ConnectCode.InvalidArgument, 0,
                e.StatusCode == StatusCodes.Status413PayloadTooLarge ? RequestFault.BodyTooLarge : RequestFault.BrokenFraming);
        }
        catch (OperationCanceledException)
        {
            // The connection went away mid-body: the client left, or Go's read deadline closed it.
            return (ConnectCode.Canceled, 0, null);
        }

        int profiles = 1;
        long bytes = body.Length;
        if (codec is ConnectCodec pushCodec)
        {
            if (!ConnectUnary.TryDecode(body, pushCodec, PushRequest.Parser, out var push, out _))
                return (ConnectCode.InvalidArgument, 0, null);
            profiles = push.Series.Sum(s => s.Samples.Count);
            bytes = push.Series.Sum(s => s.Samples.Sum(sample => (long)sample.RawProfile.Length));
        }

        using var expiry = clock.CancelAt(deadline);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(expiry.Token, http.RequestAborted);
        var request = new QueuedRequest();
        BackendVerdict verdict;
        lock (gate) verdict = admission.Arrive(Instant.FromTimeSpan(clock.Now - started), request, bytes);
        switch (verdict.Step)
        {
            case BackendStep.Reject:
                return Reject(verdict.Code);
            case BackendStep.Hang:
                return (await HangAsync(done.Token).ConfigureAwait(false), 0, null);
            case BackendStep.Queue:
                try
                {
                    await request.Slot.Task.WaitAsync(done.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    bool withdrawn;
                    lock (gate) withdrawn = admission.Withdraw(request);
                    // Handed a slot just as it gave up: it holds the slot, which goes on to the next in the queue.
                    if (!withdrawn) FinishService();
                    // connect-go's handler context ends at the client's deadline; the client has given up by then.
                    return (ConnectCode.DeadlineExceeded, 0, null);
                }
                break;
        }

        try
        {
            double seconds = Math.Max(0, spec.Latency.Sample(context.Stream("backend/" + Name, index)));
            await clock.Delay(TimeSpan.FromSeconds(seconds), done.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return (ConnectCode.DeadlineExceeded, 0, null);
        }
        finally
        {
            FinishService();
        }
        var code = admission.DrawAnswer(() => context.Stream("backend/" + Name + "/errors", index).NextDouble());
        return (code, profiles, null);
    }

    /// <summary>The serving slot goes to the oldest queued request, or becomes free.</summary>
    private void FinishService()
    {
        QueuedRequest? next;
        lock (gate)
        {
            if (!admission.Finish(out next)) return;
        }
        next.Slot.TrySetResult();
    }

    /// <summary>A request waiting in the admission queue; completed when it is handed a serving slot.</summary>
    private sealed class QueuedRequest
    {
        public TaskCompletionSource Slot { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private (ConnectCode, int, RequestFault?) Reject(ConnectCode code)
    {
        Interlocked.Increment(ref rejected);
        return (code, 0, null);
    }

    /// <summary>A stuck server: nothing is answered until the client's deadline or disconnect ends the handler.</summary>
    private static async Task<ConnectCode> HangAsync(CancellationToken done)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, done).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        return ConnectCode.DeadlineExceeded;
    }

    private void Complete(long index, string path, Instant arrival, string? header, Deadline deadline, ConnectCode code, int profiles) =>
        RequestCompleted?.Invoke(new BackendRequest(index, path, arrival, context.Clock.Now, header, deadline, code, profiles));

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
