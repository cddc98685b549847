namespace PipelineSim.Spec;

/// <summary>The TCP behaviour of the hosts' kernels (Linux defaults: tcp_syn_retries, somaxconn, tcp_keepalive_*).</summary>
public sealed record NetworkSpec
{
    public static NetworkSpec Linux { get; } = new();

    /// <summary>Round-trip time between two components that no <see cref="LinkSpec"/> describes.</summary>
    public TimeSpan DefaultRtt { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>First SYN retransmission timeout; it doubles after every retransmission.</summary>
    public TimeSpan InitialSynRto { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>tcp_syn_retries</c>: SYN retransmissions before a dial fails (6: at 1, 3, 7, 15, 31, 63 s; gives up at 127 s).</summary>
    public int SynRetries { get; init; } = 6;

    /// <summary>First data retransmission timeout (Linux TCP_RTO_MIN); doubles up to <see cref="MaxRto"/>.</summary>
    public TimeSpan InitialRto { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRto { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary><c>tcp_retries2</c>: data retransmissions before the kernel gives up on a connection (15: about 924.6 s).</summary>
    public int DataRetries { get; init; } = 15;
}
