namespace PipelineSim.Core.Options;

/// <summary>
/// <c>pyroscope.receive_http</c>'s <c>http</c> block: dskit's server config with the component's own
/// <c>conn_limit</c> default of 16384 (since v1.11.0; 100 before). Fields left out keep these defaults.
/// </summary>
public sealed record ReceiveHttpOptions
{
    public const int DefaultConnLimit = 64 / 4 * 1024;

    public string ListenAddress { get; init; } = "";

    public int ListenPort { get; init; } = 8080;

    /// <summary>Maximum accepted TCP connections (netutil.LimitListener); 0 means no limit.</summary>
    public int ConnLimit { get; init; } = DefaultConnLimit;

    /// <summary>Covers request headers and body from the start of the read.</summary>
    public TimeSpan ServerReadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Set when the request headers have been read: a handler running longer cannot deliver its response.</summary>
    public TimeSpan ServerWriteTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Idle keep-alive connections are closed (FIN) after this long, releasing their conn_limit slot.</summary>
    public TimeSpan ServerIdleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public TimeSpan GracefulShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public bool Http2Enabled { get; init; }

    public TimeSpan DebugInfoUploadTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
