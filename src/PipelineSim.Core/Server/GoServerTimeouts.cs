using PipelineSim.Core.Options;

namespace PipelineSim.Core.Server;

/// <summary>
/// The four timeouts of a Go <c>http.Server</c> (src/net/http/server.go), zero meaning "not set" as in Go. The
/// fallbacks are Go's: <c>readHeaderTimeout()</c> answers ReadHeaderTimeout, or ReadTimeout when that is zero;
/// <c>idleTimeout()</c> answers IdleTimeout, or ReadTimeout when that is zero. A timeout that resolves to zero sets no
/// deadline at all.
/// </summary>
public sealed record GoServerTimeouts
{
    /// <summary>Server.ReadTimeout: the whole request, headers and body, counted from the start of its read.</summary>
    public TimeSpan Read { get; init; }

    /// <summary>Server.ReadHeaderTimeout: the request headers, counted from the start of the read.</summary>
    public TimeSpan ReadHeader { get; init; }

    /// <summary>Server.WriteTimeout: counted from the end of reading the request headers.</summary>
    public TimeSpan Write { get; init; }

    /// <summary>Server.IdleTimeout: how long a kept-alive connection waits for the next request.</summary>
    public TimeSpan Idle { get; init; }

    /// <summary>What the header read is bounded by (Go's <c>readHeaderTimeout()</c>); zero: unbounded.</summary>
    public TimeSpan EffectiveReadHeader => ReadHeader != TimeSpan.Zero ? ReadHeader : Read;

    /// <summary>What an idle keep-alive connection is bounded by (Go's <c>idleTimeout()</c>); zero: unbounded.</summary>
    public TimeSpan EffectiveIdle => Idle != TimeSpan.Zero ? Idle : Read;

    /// <summary>
    /// The backend stand-in's server (the simulator's and the live stub's alike), as dskit's server sets up
    /// Pyroscope's: its scenario gives the read (http_server_read_timeout, which also bounds a fresh connection's wait
    /// for its first request and a slowly sent body), write and idle timeouts.
    /// </summary>
    public static GoServerTimeouts Backend(TimeSpan read, TimeSpan write, TimeSpan idle) => new() { Read = read, Write = write, Idle = idle };

    /// <summary>
    /// pyroscope.receive_http's server: Alloy's <c>http</c> block sets ReadTimeout, WriteTimeout and IdleTimeout and
    /// leaves ReadHeaderTimeout zero (internal/component/pyroscope/receive_http, via Alloy's common server config).
    /// </summary>
    public static GoServerTimeouts From(ReceiveHttpOptions http) => new()
    {
        Read = http.ServerReadTimeout,
        Write = http.ServerWriteTimeout,
        Idle = http.ServerIdleTimeout,
    };
}
