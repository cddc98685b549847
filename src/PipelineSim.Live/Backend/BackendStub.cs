using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Server;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;
using PipelineSim.Live.Connect;
using PipelineSim.Live.Hosting;
using PipelineSim.Live.Metrics;
using PipelineSim.Live.Wire;

namespace PipelineSim.Live.Backend;

/// <summary>What the backend did with one request, for tests and records.</summary>
/// <param name="Index">Arrival order, from 0: the index that decides (with the seed) whether it fails.</param>
/// <param name="ConnectTimeoutHeader">The raw <c>Connect-Timeout-Ms</c> value; null when absent.</param>
/// <param name="Deadline">The deadline the header gave at arrival.</param>
public sealed record BackendRequest(long Index, string Path, Instant Arrival, Instant End, string? ConnectTimeoutHeader,
    Deadline Deadline, ConnectCode Code, int Profiles);

/// <summary>
/// A stand-in Pyroscope server on Kestrel, in the model's order of decisions: an outage window answers (or hangs)
/// every arriving request, a token bucket answers <c>resource_exhausted</c>, a bounded queue waits for one of
/// <see cref="BackendOptions.Concurrency"/> serving slots (a full one answers at once), the latency is drawn from
/// the kernel's distribution, and a seeded share of served requests fails (the seed and the arrival index decide
/// which). An answer later than the server write timeout is withheld and the connection aborted, as Go's server does.
/// </summary>
public sealed class BackendStub : IAsyncDisposable
{
    private readonly BackendOptions options;
    private readonly LiveContext context;
    private readonly SemaphoreSlim? slots;
    private readonly Instant started;
    private readonly object bucketGate = new();
    private double tokens;
    private Instant tokensAt;
    private KestrelHost? host;
    private long arrivals = -1;
    private long profilesDelivered;
    private long ingested;
    private long rejected;
    private int serving;
    private int queued;
    private int openConnections;
    private int peakConnections;

    private BackendStub(string name, BackendOptions options, LiveContext context)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems), nameof(options));
        Name = name;
        this.options = options;
        this.context = context;
        slots = options.Concurrency > 0 ? new SemaphoreSlim(options.Concurrency) : null;
        started = context.Clock.Now;
        tokens = options.RateLimit?.Burst ?? 0;
        tokensAt = started;
    }

    public string Name { get; }

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

    /// <summary>Raised when a request has been answered (on a server thread).</summary>
    public event Action<BackendRequest>? RequestCompleted;

    private KestrelHost Host => host ?? throw new InvalidOperationException($"Backend {Name} is not started.");

    public static async Task<BackendStub> StartAsync(string name, BackendOptions options, LiveContext context,
        CancellationToken cancellationToken = default)
    {
        var backend = new BackendStub(name, options, context);
        var bind = new IPEndPoint(IPAddress.Parse(options.ListenAddress), options.ListenPort);
        backend.host = await KestrelHost.StartAsync(new KestrelHostSpec(bind)
        {
            Configure = kestrel =>
            {
                kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
                kestrel.Limits.MinRequestBodyDataRate = null;
            },
            GoServer = new GoServerConnections(
                GoServerTimeouts.Backend(options.ServerIdleTimeout, options.ServerWriteTimeout), context.Clock),
            ConnectionMiddleware = backend.CountConnection,
        }, backend.HandleAsync, cancellationToken).ConfigureAwait(false);
        var labels = MetricLabels.Of(("component_id", name));
        context.Metrics.Gauge(MetricNames.BackendRequests, "Requests being served and waiting at a backend.",
            labels.With("state", "serving"), () => Volatile.Read(ref backend.serving));
        context.Metrics.Gauge(MetricNames.BackendRequests, "Requests being served and waiting at a backend.",
            labels.With("state", "queued"), () => Volatile.Read(ref backend.queued));
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        if (host is not null) await host.DisposeAsync().ConfigureAwait(false);
        slots?.Dispose();
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
        var anchor = DeadlineAnchor.Resolve(http.Request.Headers[DeadlineAnchor.HeaderName].FirstOrDefault(), clock, arrival);
        if (!ConnectTimeout.TryDecode(header, anchor, out var deadline, out var bad))
        {
            await ConnectUnary.WriteErrorAsync(http.Response, bad!).ConfigureAwait(false);
            Complete(index, path, arrival, header, deadline, bad!.Code, 0);
            return;
        }

        var (code, profiles) = await ServeAsync(http, index, arrival, deadline, isPush).ConfigureAwait(false);
        if (request is not null && !request.TryWriteResponse())
        {
            // Go's write deadline passed while the handler ran: the client gets no answer, only a closed connection.
            http.Abort();
        }
        else if (code == ConnectCode.Ok)
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            if (isPush)
            {
                var codec = ConnectUnary.CodecOf(http.Request.ContentType) ?? ConnectCodec.Proto;
                http.Response.ContentType = ConnectUnary.ContentTypeOf(codec);
                await http.Response.Body.WriteAsync(ConnectUnary.Encode(new PushResponse(), codec)).ConfigureAwait(false);
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

    /// <summary>The model's order: outage, rate limit, queue, serving slot, latency, then the injected error draw.</summary>
    private async Task<(ConnectCode Code, int Profiles)> ServeAsync(HttpContext http, long index, Instant arrival, Deadline deadline, bool isPush)
    {
        var clock = context.Clock;
        using var expiry = clock.CancelAt(deadline);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(expiry.Token, http.RequestAborted);
        if (OutageAt(arrival) is { } outage)
        {
            if (outage.Behaviour == OutageBehaviour.Fail) return Reject(outage.Code);
            return (await HangAsync(done.Token).ConfigureAwait(false), 0);
        }

        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, done.Token).ConfigureAwait(false);
            if (!GoServerConnections.BodyRead(http)) return (ConnectCode.DeadlineExceeded, 0);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException)
        {
            return (ConnectCode.ResourceExhausted, 0);
        }
        catch (OperationCanceledException)
        {
            return (ConnectCode.DeadlineExceeded, 0);
        }

        int profiles = 1;
        long bytes = body.Length;
        if (isPush)
        {
            var codec = ConnectUnary.CodecOf(http.Request.ContentType);
            if (codec is null || !ConnectUnary.TryDecode(body, codec.Value, PushRequest.Parser, out var push, out _))
                return (ConnectCode.InvalidArgument, 0);
            profiles = push.Series.Sum(s => s.Samples.Count);
            bytes = push.Series.Sum(s => s.Samples.Sum(sample => (long)sample.RawProfile.Length));
        }
        if (!TakeTokens(bytes)) return Reject(ConnectCode.ResourceExhausted);

        bool waiting = false, holding = false;
        try
        {
            if (slots is not null && !slots.Wait(0))
            {
                if (Interlocked.Increment(ref queued) > options.QueueCapacity)
                {
                    Interlocked.Decrement(ref queued);
                    return Reject(options.QueueFullCode);
                }
                waiting = true;
                await slots.WaitAsync(done.Token).ConfigureAwait(false);
                Interlocked.Decrement(ref queued);
                waiting = false;
            }
            holding = slots is not null;
            Interlocked.Increment(ref serving);
            try
            {
                double seconds = Math.Max(0, options.Latency.Sample(context.Stream("backend/" + Name, index)));
                await clock.Delay(TimeSpan.FromSeconds(seconds), done.Token).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref serving);
            }
        }
        catch (OperationCanceledException)
        {
            // connect-go's handler context ends at the client's deadline; the client has given up by then.
            return (ConnectCode.DeadlineExceeded, 0);
        }
        finally
        {
            if (waiting) Interlocked.Decrement(ref queued);
            if (holding) slots!.Release();
        }
        return (InjectedError(index) ?? ConnectCode.Ok, profiles);
    }

    private (ConnectCode, int) Reject(ConnectCode code)
    {
        Interlocked.Increment(ref rejected);
        return (code, 0);
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

    private OutageWindow? OutageAt(Instant now)
    {
        var sinceStart = now - started;
        return options.Outages.FirstOrDefault(o => o.Contains(sinceStart));
    }

    /// <summary>The token bucket, refilled at the rate up to the burst; a request takes 1 token, or its profile bytes.</summary>
    private bool TakeTokens(long bytes)
    {
        if (options.RateLimit is not { } limit) return true;
        lock (bucketGate)
        {
            var now = context.Clock.Now;
            tokens = Math.Min(limit.Burst, tokens + (now - tokensAt).TotalSeconds * limit.Rate);
            tokensAt = now;
            double cost = limit.PerByte ? bytes : 1;
            if (tokens < cost) return false;
            tokens -= cost;
            return true;
        }
    }

    /// <summary>One uniform draw per request from (seed, arrival index): the same seed fails the same requests.</summary>
    private ConnectCode? InjectedError(long index)
    {
        if (options.Errors.Count == 0) return null;
        double u = context.Stream("backend/" + Name + "/errors", index).NextDouble();
        double cumulative = 0;
        foreach (var rule in options.Errors)
        {
            cumulative += rule.Rate;
            if (u < cumulative) return rule.Code;
        }
        return null;
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
