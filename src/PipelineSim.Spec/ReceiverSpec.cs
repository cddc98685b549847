using PipelineSim.Core.Options;
using PipelineSim.Core.Server;

namespace PipelineSim.Spec;

/// <summary>
/// A <c>pyroscope.receive_http</c> component forwarding every series to each of its <see cref="ForwardTo"/> writers:
/// the one option type of a receiver, read by the simulator, the live receiver and <c>pipelinesim serve
/// receive-http</c>. Each property documents its default; <see cref="Validate"/> checks them once.
/// </summary>
public sealed record ReceiverSpec : ComponentSpec
{
    /// <summary>What Go passes to <c>listen(2)</c> on Linux 5.4 and later: <c>net.core.somaxconn</c>'s default, 4096.</summary>
    public const int DefaultAcceptBacklog = 4096;

    /// <summary>64 MiB: Alloy itself sets no bound, so the default is generous.</summary>
    public const long DefaultMaxRequestBodyBytes = 64L * 1024 * 1024;

    /// <summary>
    /// The <c>http</c> block: conn_limit and the server timeouts, with Alloy's defaults. Its listen address and port
    /// matter only live: an empty address binds 127.0.0.1 there, not every interface, and port 0 lets the kernel
    /// choose (a live scenario run binds every receiver to 127.0.0.1 on a port of the kernel's choosing).
    /// </summary>
    public ReceiveHttpOptions Http { get; init; } = new();

    /// <summary>Names of <c>pyroscope.write</c> components (the forward_to list).</summary>
    public IReadOnlyList<string> ForwardTo { get; init; } = [];

    /// <summary>
    /// The <c>listen(2)</c> backlog (default <see cref="DefaultAcceptBacklog"/>, what Go passes: it listens with
    /// <c>net.core.somaxconn</c>, net/sock_linux.go <c>maxListenerBacklog</c>). Linux holds one more completed
    /// handshake than this while the server does not accept (Core's <c>AcceptQueue</c>); when that is full, SYNs are
    /// dropped. Linux caps the value at <c>net.core.somaxconn</c> (net/socket.c, <c>__sys_listen</c>): the live
    /// receiver listens with min(this, somaxconn) and reports that, and a live scenario run refuses a value above this
    /// machine's somaxconn rather than run a smaller backlog than the simulator's.
    /// </summary>
    public int AcceptBacklog { get; init; } = DefaultAcceptBacklog;

    /// <summary>
    /// Keep-alive probes the server's kernel sends on accepted connections: Go listeners enable them with the
    /// dialer's defaults (15 s idle, 15 s interval, 9 probes), so they too keep middlebox entries alive.
    /// </summary>
    public TcpKeepAliveOptions KeepAlive { get; init; } = TcpKeepAliveOptions.GoDefault;

    /// <summary>Time the handler spends decoding a request before forwarding (seconds); null means none.</summary>
    public IDistribution? HandlerTime { get; init; }

    /// <summary>
    /// A larger request body is answered 413 <c>resource_exhausted</c> and not forwarded (Core's
    /// <see cref="RequestBodyLimit"/>); default <see cref="DefaultMaxRequestBodyBytes"/>. The simulator compares a
    /// push's profile bytes, the live receiver the body as sent and, gzipped, as inflated.
    /// </summary>
    public long MaxRequestBodyBytes { get; init; } = DefaultMaxRequestBodyBytes;

    /// <summary>The body bound as Core's rule.</summary>
    public RequestBodyLimit BodyLimit => new(MaxRequestBodyBytes);

    /// <summary>
    /// Checks every value once, for the simulator and the live receiver alike; paths are relative to the receiver
    /// (<c>conn_limit</c>, the scenario file's flat names), one problem each. Whether <see cref="ForwardTo"/> names
    /// writers is the topology's question.
    /// </summary>
    public IReadOnlyList<SpecProblem> Validate()
    {
        var problems = new List<SpecProblem>();
        void Problem(string path, string message) => problems.Add(new SpecProblem(path, message));
        if (Http.ConnLimit < 0) Problem("conn_limit", "must not be negative (0 means no limit)");
        if (Http.ListenPort is < 0 or > 65535) Problem("listen_port", $"{Http.ListenPort} is outside 0-65535");
        if (AcceptBacklog < 1) Problem("accept_backlog", "must be at least 1");
        // Zero is Go's "none" (idle: the read timeout's), which both drivers follow through Core's GoServerTimeouts.
        if (Http.ServerReadTimeout < TimeSpan.Zero) Problem("server_read_timeout", "must not be negative (0 means none, as in Go)");
        if (Http.ServerWriteTimeout < TimeSpan.Zero) Problem("server_write_timeout", "must not be negative (0 means none, as in Go)");
        if (Http.ServerIdleTimeout < TimeSpan.Zero)
            Problem("server_idle_timeout", "must not be negative (0 means server_read_timeout's, as in Go)");
        if (Http.GracefulShutdownTimeout < TimeSpan.Zero) Problem("graceful_shutdown_timeout", "must not be negative");
        if (Http.Http2MaxConcurrentStreams < 1) Problem("http2.max_concurrent_streams", "must be at least 1");
        if (Http.Http2PingTimeout <= TimeSpan.Zero) Problem("http2.ping_timeout", "must be positive");
        if (Http.Http2ReadIdleTimeout < TimeSpan.Zero) Problem("http2.read_idle_timeout", "must not be negative");
        if (MaxRequestBodyBytes < 1) Problem("max_request_body", "must be at least 1 byte");
        return problems;
    }
}
