using PipelineSim.Spec;
using PipelineSim.Core.Connect;

namespace PipelineSim.Live.Backend;

/// <summary>A share of requests a backend fails with <paramref name="Code"/> (Connect error; its HTTP status on /ingest).</summary>
public sealed record BackendErrorRule(ConnectCode Code, double Rate);

/// <summary>What a backend does to the requests that arrive during an outage.</summary>
public enum OutageBehaviour
{
    /// <summary>Answered at once with the window's code (<c>unavailable</c>: HTTP 503).</summary>
    Fail,

    /// <summary>Never answered: a stuck process; the request hangs until the client gives up.</summary>
    Hang,
}

/// <summary>A span of the backend's life (from its start, scenario time) in which every arriving request fails or hangs.</summary>
public sealed record OutageWindow(TimeSpan From, TimeSpan To, ConnectCode Code = ConnectCode.Unavailable,
    OutageBehaviour Behaviour = OutageBehaviour.Fail)
{
    public bool Contains(TimeSpan sinceStart) => sinceStart >= From && sinceStart < To;
}

/// <summary>A token bucket: <paramref name="Rate"/> tokens per second up to <paramref name="Burst"/>; a request takes 1, or its profile bytes.</summary>
public sealed record BackendRateLimit(double Rate, double Burst, bool PerByte = false);

/// <summary>A stand-in Pyroscope server: how fast it answers, how many at once, and how it fails.</summary>
public sealed record BackendOptions
{
    /// <summary>127.0.0.1 unless told otherwise; port 0 lets the kernel choose.</summary>
    public string ListenAddress { get; init; } = "127.0.0.1";

    public int ListenPort { get; init; }

    /// <summary>
    /// Seconds to handle one request once it is being served (the guide: 500–1000 ms average for Pyroscope), the
    /// kernel's distributions as a scenario's <c>latency</c> gives them.
    /// </summary>
    public IDistribution Latency { get; init; } = Distributions.Constant(0);

    /// <summary>Requests served at once, the rest queue in arrival order; 0 means no limit.</summary>
    public int Concurrency { get; init; }

    /// <summary>Requests that may wait for a serving slot; one arriving at a full queue is answered <see cref="QueueFullCode"/> at once.</summary>
    public int QueueCapacity { get; init; } = int.MaxValue;

    public ConnectCode QueueFullCode { get; init; } = ConnectCode.Unavailable;

    /// <summary>Independent error shares, tried in order on one uniform draw per served request (their sum at most 1).</summary>
    public IReadOnlyList<BackendErrorRule> Errors { get; init; } = [];

    /// <summary>Ingestion rate limit answered <c>resource_exhausted</c> (HTTP 429) at arrival; null means none.</summary>
    public BackendRateLimit? RateLimit { get; init; }

    public IReadOnlyList<OutageWindow> Outages { get; init; } = [];

    /// <summary>dskit's http_server_idle_timeout: idle keep-alive connections are closed (Kestrel checks once a second).</summary>
    public TimeSpan ServerIdleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>dskit's http_server_write_timeout: an answer later than this after the request cannot be delivered.</summary>
    public TimeSpan ServerWriteTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public long MaxRequestBodyBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Checks the numbers; one message per problem.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (ListenPort is < 0 or > 65535) problems.Add($"listen port {ListenPort} is outside 0-65535");
        if (Concurrency < 0) problems.Add($"concurrency {Concurrency} is negative");
        if (QueueCapacity < 0) problems.Add($"queue capacity {QueueCapacity} is negative");
        foreach (var rule in Errors)
        {
            if (rule.Rate is < 0 or > 1 || double.IsNaN(rule.Rate)) problems.Add($"error rate {rule.Rate} for {ConnectCodes.Name(rule.Code)} is outside [0, 1]");
            if (rule.Code == ConnectCode.Ok) problems.Add("an error rule cannot use code ok");
        }
        if (Errors.Sum(r => r.Rate) > 1 + 1e-9) problems.Add("error rates add up to more than 1");
        if (RateLimit is { } limit && (!(limit.Rate > 0) || !(limit.Burst >= 0)))
            problems.Add($"rate limit {limit.Rate}/s, burst {limit.Burst}: the rate must be positive and the burst not negative");
        foreach (var outage in Outages)
        {
            if (outage.To <= outage.From) problems.Add($"outage {outage.From}-{outage.To} ends before it starts");
        }
        if (ServerIdleTimeout <= TimeSpan.Zero) problems.Add("server idle timeout must be positive");
        if (ServerWriteTimeout <= TimeSpan.Zero) problems.Add("server write timeout must be positive");
        return problems;
    }
}
