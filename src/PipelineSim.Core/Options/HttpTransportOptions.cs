namespace PipelineSim.Core.Options;

/// <summary>
/// The <c>http.Transport</c> that <c>pyroscope.write</c> builds per endpoint (prometheus/common NewClientFromConfig):
/// not Go's DefaultTransport.
/// </summary>
public sealed record HttpTransportOptions
{
    public static HttpTransportOptions AlloyDefault { get; } = new();

    public int MaxIdleConns { get; init; } = 20000;

    public int MaxIdleConnsPerHost { get; init; } = 1000;

    public TimeSpan IdleConnTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A zero net.Dialer has no dial timeout: null means none.</summary>
    public TimeSpan? DialTimeout { get; init; }

    public TcpKeepAliveOptions KeepAlive { get; init; } = TcpKeepAliveOptions.GoDefault;

    /// <summary>HTTP/2 ping health check: a ping after this long without a frame (pyroscope.write sets 1m).</summary>
    public TimeSpan Http2ReadIdleTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an HTTP/2 health-check ping may go unanswered (x/net default 15s).</summary>
    public TimeSpan Http2PingTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Keep-alives stay on, so finished connections go back to the idle pool.</summary>
    public bool DisableKeepAlives { get; init; }

    /// <summary>No limit on connections per host (0): every request that finds no idle connection dials a new one.</summary>
    public int MaxConnsPerHost { get; init; }

    /// <summary>Unset in pyroscope.write: null means a request waits for response headers until its context ends.</summary>
    public TimeSpan? ResponseHeaderTimeout { get; init; }

    /// <summary>The client asks for gzipped responses itself (connect-go), so the transport's own gzip is off.</summary>
    public bool DisableCompression { get; init; } = true;

    public TimeSpan ExpectContinueTimeout { get; init; } = TimeSpan.FromSeconds(1);
}
