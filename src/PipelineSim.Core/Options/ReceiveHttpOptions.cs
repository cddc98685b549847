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

    /// <summary>The <c>http2</c> block (since v1.13.0): when enabled the handler also speaks h2c.</summary>
    public bool Http2Enabled { get; init; }

    public int Http2MaxConcurrentStreams { get; init; } = 100;

    /// <summary>How long a server health-check ping may go unanswered.</summary>
    public TimeSpan Http2PingTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Zero: the server sends no health-check pings.</summary>
    public TimeSpan Http2ReadIdleTimeout { get; init; } = TimeSpan.Zero;

    public TimeSpan DebugInfoUploadTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
