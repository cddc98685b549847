namespace PipelineSim.Core.Options;

/// <summary>
/// One <c>endpoint</c> block of <c>pyroscope.write</c>, with Alloy's defaults (write.go GetDefaultEndpointOptions,
/// identical from v1.5.0 to HEAD; <see cref="RetryOnHttp429"/> exists at HEAD only).
/// </summary>
public sealed record WriteEndpointOptions
{
    /// <summary>Base URL; the push client appends <c>/push.v1.PusherService/Push</c>.</summary>
    public required string Url { get; init; }

    /// <summary>Only the go-conntrack dialer name in Alloy; metrics are labelled by <see cref="Url"/>.</summary>
    public string Name { get; init; } = "";

    /// <summary>Per-attempt timeout: an attempt's deadline is min(parent deadline, now + RemoteTimeout).</summary>
    public TimeSpan RemoteTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan MinBackoffPeriod { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoffPeriod { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Total attempts (dskit MaxRetries); 0 retries forever.</summary>
    public int MaxBackoffRetries { get; init; } = 10;

    public bool RetryOnHttp429 { get; init; } = true;

    public TimeSpan DebugInfoUploadTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Negotiated over TLS only; <c>http://</c> endpoints always speak HTTP/1.1.</summary>
    public bool EnableHttp2 { get; init; } = true;

    public bool FollowRedirects { get; init; } = true;

    /// <summary>Use HTTP_PROXY/HTTPS_PROXY/NO_PROXY from the environment (prometheus/common HTTPClientConfig).</summary>
    public bool ProxyFromEnvironment { get; init; }

    /// <summary>The transport under this endpoint's client.</summary>
    public HttpTransportOptions Transport { get; init; } = HttpTransportOptions.AlloyDefault;

    /// <summary>True when this endpoint will run HTTP/2: TLS (https) and <see cref="EnableHttp2"/>.</summary>
    public bool UsesHttp2 => EnableHttp2 && Url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}
