using PipelineSim.Core.Backend;
using PipelineSim.Core.Options;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Time;

namespace PipelineSim.Spec;

/// <summary>
/// A Pyroscope server answering the Connect <c>Push</c> RPC (and <c>/ingest</c>): the one option type of a backend,
/// read by the simulator, the live backend stub and <c>pipelinesim serve backend</c>. Each property documents its
/// default; <see cref="Validate"/> checks them once. The rules that apply them live in Core
/// (<see cref="BackendAdmission{T}"/>, <see cref="RequestFaults"/>), built by <see cref="ToRules"/>.
/// </summary>
public sealed record BackendSpec : ComponentSpec
{
    /// <summary>dskit's <c>http_server_read_timeout</c> default, 30 s.</summary>
    public static readonly TimeSpan DefaultServerReadTimeout = TimeSpan.FromSeconds(30);

    /// <summary>64 MiB, the receiver's default (<see cref="ReceiverSpec.DefaultMaxRequestBodyBytes"/>).</summary>
    public const long DefaultMaxRequestBodyBytes = ReceiverSpec.DefaultMaxRequestBodyBytes;

    /// <summary>Service time of one push in seconds; the guide: 500–1000 ms average with the new architecture.</summary>
    public IDistribution Latency { get; init; } = Distributions.LogNormal(0.7, 0.4);

    /// <summary>Pushes served at once; 0 means no limit.</summary>
    public int Concurrency { get; init; }

    /// <summary>Pushes waiting for a free slot; a push arriving at a full queue is answered <see cref="QueueFullCode"/> at once.</summary>
    public int QueueCapacity { get; init; } = int.MaxValue;

    public ConnectCode QueueFullCode { get; init; } = ConnectCode.Unavailable;

    /// <summary>Each served push fails with a code with its probability (checked in list order, after the service time).</summary>
    public IReadOnlyList<ErrorRateSpec> Errors { get; init; } = [];

    /// <summary>Ingestion rate limit answered with <c>resource_exhausted</c> (HTTP 429); null means none.</summary>
    public RateLimitSpec? RateLimit { get; init; }

    /// <summary>Windows in which the backend is down.</summary>
    public IReadOnlyList<OutageSpec> Outages { get; init; } = [];

    /// <summary>
    /// Keep-alive probes the server's kernel sends on accepted connections: Go listeners enable them with the
    /// dialer's defaults (15 s idle, 15 s interval, 9 probes), so they too keep middlebox entries alive.
    /// </summary>
    public TcpKeepAliveOptions KeepAlive { get; init; } = TcpKeepAliveOptions.GoDefault;

    /// <summary>dskit's http_server_idle_timeout: idle keep-alive connections are closed with a FIN.</summary>
    public TimeSpan ServerIdleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>dskit's http_server_write_timeout: a response later than this after the request cannot be delivered.</summary>
    public TimeSpan ServerWriteTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// dskit's http_server_read_timeout (default <see cref="DefaultServerReadTimeout"/>): the live stub stops reading a
    /// body this long after the request arrived and closes the connection (<see cref="RequestFault.BodyReadTimedOut"/>).
    /// </summary>
    public TimeSpan ServerReadTimeout { get; init; } = DefaultServerReadTimeout;

    /// <summary>A longer body is answered 413 <c>invalid_argument</c> (<see cref="RequestFault.BodyTooLarge"/>); default 64 MiB.</summary>
    public long MaxRequestBodyBytes { get; init; } = DefaultMaxRequestBodyBytes;

    /// <summary>Checks every value once; paths are relative to the backend (<c>errors[1].probability</c>), one problem each.</summary>
    public IReadOnlyList<SpecProblem> Validate()
    {
        var problems = new List<SpecProblem>();
        void Problem(string path, string message) => problems.Add(new SpecProblem(path, message));
        if (Concurrency < 0) Problem("concurrency", "must not be negative (0 means no limit)");
        if (QueueCapacity < 0) Problem("queue_capacity", "must not be negative");
        if (QueueFullCode == ConnectCode.Ok) Problem("queue_full_code", "ok is not an error code");
        double total = 0;
        for (int i = 0; i < Errors.Count; i++)
        {
            var rate = Errors[i];
            if (rate.Probability is < 0 or > 1 || double.IsNaN(rate.Probability))
                Problem($"errors[{i}].probability", $"must be between 0 and 1, found {rate.Probability}");
            if (rate.Code == ConnectCode.Ok) Problem($"errors[{i}].code", "ok is not an error code");
            total += rate.Probability;
        }
        if (total > 1 + 1e-9) Problem("errors", "the probabilities add up to more than 1");
        if (RateLimit is { } limit)
        {
            if (!(limit.Rate > 0)) Problem("rate_limit.rate", "must be positive");
            if (!(limit.Burst > 0)) Problem("rate_limit.burst", "must be positive");
        }
        for (int i = 0; i < Outages.Count; i++)
        {
            if (Outages[i].Start < TimeSpan.Zero) Problem($"outages[{i}].start", "must not be negative");
            if (Outages[i].Duration <= TimeSpan.Zero) Problem($"outages[{i}].duration", "must be positive");
        }
        if (ServerIdleTimeout <= TimeSpan.Zero) Problem("server_idle_timeout", "must be positive");
        if (ServerWriteTimeout <= TimeSpan.Zero) Problem("server_write_timeout", "must be positive");
        if (ServerReadTimeout <= TimeSpan.Zero) Problem("server_read_timeout", "must be positive");
        if (MaxRequestBodyBytes < 1) Problem("max_request_body", "must be at least 1 byte");
        return problems;
    }

    /// <summary>
    /// The Core rules for this backend, with <paramref name="extraOutages"/> (from faults) beside its own windows,
    /// ordered by start (stable: of two windows starting together, the one listed first decides).
    /// </summary>
    public BackendRules ToRules(IEnumerable<OutageSpec>? extraOutages = null) => new()
    {
        Concurrency = Concurrency,
        QueueCapacity = QueueCapacity,
        QueueFullCode = QueueFullCode,
        RateLimit = RateLimit is { } limit ? new Core.Backend.RateLimit(limit.Rate, limit.Burst, limit.Unit == RateLimitUnit.Bytes) : null,
        Outages = [.. Outages.Concat(extraOutages ?? []).OrderBy(o => o.Start).Select(o => o.ToWindow())],
        Errors = [.. Errors.Select(e => new ErrorShare(e.Code, e.Probability))],
    };
}

public sealed record ErrorRateSpec(ConnectCode Code, double Probability);

public enum RateLimitUnit
{
    Requests,

    /// <summary>Profile bytes, as Pyroscope's ingestion_rate_mb limits.</summary>
    Bytes,
}

/// <summary>A token bucket: <see cref="Rate"/> per second refill, <see cref="Burst"/> capacity.</summary>
public sealed record RateLimitSpec(double Rate, double Burst, RateLimitUnit Unit = RateLimitUnit.Requests);

public enum OutageMode
{
    /// <summary>Connections work; every push is answered 503 (<c>unavailable</c>) at once.</summary>
    Unavailable,

    /// <summary>Connections work; pushes are never answered (a stuck process): they hang until the client's deadline.</summary>
    Hang,

    /// <summary>Nothing listens: new connections are refused (RST) and open ones are reset when the outage starts.</summary>
    Refuse,
}

public sealed record OutageSpec(TimeSpan Start, TimeSpan Duration, OutageMode Mode = OutageMode.Unavailable)
{
    /// <summary>The window in the backend's time, as Core's admission reads it.</summary>
    public OutageWindow ToWindow() => new(Instant.FromTimeSpan(Start), Instant.FromTimeSpan(Start + Duration), Mode switch
    {
        OutageMode.Hang => OutageKind.Hang,
        OutageMode.Refuse => OutageKind.Refuse,
        _ => OutageKind.Unavailable,
    });
}
