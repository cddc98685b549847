using PipelineSim.Core.Options;

namespace PipelineSim.Spec;

/// <summary>A <c>pyroscope.receive_http</c> component forwarding every series to each of its <see cref="ForwardTo"/> writers.</summary>
public sealed record ReceiverSpec : ComponentSpec
{
    /// <summary>The <c>http</c> block: conn_limit and the server timeouts, with Alloy's defaults.</summary>
    public ReceiveHttpOptions Http { get; init; } = new();

    /// <summary>Names of <c>pyroscope.write</c> components (the forward_to list).</summary>
    public IReadOnlyList<string> ForwardTo { get; init; } = [];

    /// <summary>
    /// Completed handshakes the kernel holds while the server does not accept: min(listen backlog, somaxconn);
    /// Go listens with somaxconn, 4096 on Linux 5.4+. When full, SYNs are dropped.
    /// </summary>
    public int AcceptBacklog { get; init; } = 4096;

    /// <summary>
    /// Keep-alive probes the server's kernel sends on accepted connections: Go listeners enable them with the
    /// dialer's defaults (15 s idle, 15 s interval, 9 probes), so they too keep middlebox entries alive.
    /// </summary>
    public TcpKeepAliveOptions KeepAlive { get; init; } = TcpKeepAliveOptions.GoDefault;

    /// <summary>Time the handler spends decoding a request before forwarding (seconds); null means none.</summary>
    public IDistribution? HandlerTime { get; init; }
}
