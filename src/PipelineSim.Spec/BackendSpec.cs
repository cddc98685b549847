using PipelineSim.Core.Options;
using PipelineSim.Core.Connect;

namespace PipelineSim.Spec;

/// <summary>A Pyroscope server answering the Connect <c>Push</c> RPC.</summary>
public sealed record BackendSpec : ComponentSpec
{
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

public sealed record OutageSpec(TimeSpan Start, TimeSpan Duration, OutageMode Mode = OutageMode.Unavailable);
