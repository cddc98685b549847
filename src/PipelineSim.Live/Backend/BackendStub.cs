using System.Net;
using Microsoft.AspNetCore.Http;
using PipelineSim.Core.Connect;
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
/// A stand-in Pyroscope server on Kestrel: answers Push and <c>/ingest</c> after a latency drawn from a seeded
/// distribution, serves a bounded number at once, fails a deterministic share of requests (the seed and the arrival
/// index decide which) and fails everything inside outage windows.
/// </summary>
public sealed class BackendStub : IAsyncDisposable
{
    private readonly BackendOptions options;
    private readonly LiveContext context;
    private readonly SemaphoreSlim? slots;
    private readonly Instant started;
    private KestrelHost? host;
    private long arrivals = -1;
    private long profilesDelivered;
    private int serving;
    private int queued;

    private BackendStub(string name, BackendOptions options, LiveContext context)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems), nameof(options));
        Name = name;
        this.options = options;
        this.context = context;
        slots = options.Concurrency > 0 ? new SemaphoreSlim(options.Concurrency) : null;
        started = context.Clock.Now;
    }

    public string Name { get; }

    public Uri BaseUri => Host.BaseUri;

    public IPEndPoint EndPoint => Host.EndPoint;

    /// <summary>Requests received so far.</summary>
    public long Requests => Interlocked.Read(ref arrivals) + 1;

    /// <summary>Profiles in requests answered 200.</summary>
    public long ProfilesDelivered => Interlocked.Read(ref profilesDelivered);

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

    private async Task HandleAsync(HttpContext http)
    {
        var clock = context.Clock;
        var arrival = clock.Now;
        long index = Interlocked.Increment(ref arrivals);
        string path = http.Request.Path.Value ?? "";
        bool isPush = path == "/push.v1.PusherService/Push";
        if (!HttpMethods.IsPost(http.Request.Method) || !(isPush || path == "/ingest"))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        string? header = http.Request.Headers[ConnectTimeout.HeaderName].FirstOrDefault();
        if (!ConnectTimeout.TryDecode(header, arrival, out var deadline, out var bad))
        {
            await ConnectUnary.WriteErrorAsync(http.Response, bad!).ConfigureAwait(false);
            Complete(index, path, arrival, header, deadline, bad!.Code, 0);
            return;
        }

        var (code, profiles) = await ServeAsync(http, index, arrival, deadline, isPush).ConfigureAwait(false);
        if (code == ConnectCode.Ok)
        {
            Interlocked.Add(ref profilesDelivered, profiles);
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
        Complete(index, path, arrival, header, deadline, code, profiles);
    }

    /// <summary>Waits for a serving slot and the request's latency, then decides the answer.</summary>
    private async Task<(ConnectCode Code, int Profiles)> ServeAsync(HttpContext http, long index, Instant arrival, Deadline deadline, bool isPush)
    {
        var clock = context.Clock;
        if (Outage(arrival) is ConnectCode outage) return (outage, 0);

        using var expiry = clock.CancelAt(deadline);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(expiry.Token, http.RequestAborted);
        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, done.Token).ConfigureAwait(false);
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
        if (isPush)
        {
            var codec = ConnectUnary.CodecOf(http.Request.ContentType);
            if (codec is null || !ConnectUnary.TryDecode(body, codec.Value, PushRequest.Parser, out var push, out _))
                return (ConnectCode.InvalidArgument, 0);
            profiles = push.Series.Sum(s => s.Samples.Count);
        }

        var random = context.RandomFor(Name, index);
        Interlocked.Increment(ref queued);
        bool waiting = true, holding = false;
        try
        {
            if (slots is not null)
            {
                await slots.WaitAsync(done.Token).ConfigureAwait(false);
                holding = true;
            }
            Interlocked.Decrement(ref queued);
            waiting = false;
            Interlocked.Increment(ref serving);
            try
            {
                await clock.Delay(options.Latency.Sample(random), done.Token).ConfigureAwait(false);
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
        return (InjectedError(index) ?? Outage(clock.Now) ?? ConnectCode.Ok, profiles);
    }

    private ConnectCode? Outage(Instant now)
    {
        var sinceStart = now - started;
        return options.Outages.FirstOrDefault(o => o.Contains(sinceStart))?.Code;
    }

    /// <summary>One uniform draw per request from (seed, arrival index): the same seed fails the same requests.</summary>
    private ConnectCode? InjectedError(long index)
    {
        if (options.Errors.Count == 0) return null;
        double u = (LiveContext.SplitMix64((ulong)context.SeedFor(Name + " errors") ^ (ulong)index) >> 11) * (1.0 / (1UL << 53));
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
}
