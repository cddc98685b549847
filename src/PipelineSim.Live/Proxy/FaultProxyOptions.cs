namespace PipelineSim.Live.Proxy;

/// <summary>What a middlebox does to a flow it has forgotten.</summary>
public enum FlowBreak
{
    /// <summary>Every later packet is dropped without a word (Azure LB, GCP): requests hang until their deadline.</summary>
    Silent,

    /// <summary>The next packet from either side is answered with a TCP RST (AWS NAT gateway): requests fail at once.</summary>
    Reset,
}

/// <summary>A TCP fault proxy on one link: the latency it adds and the middlebox idle timeout it plays.</summary>
public sealed record FaultProxyOptions
{
    public string ListenAddress { get; init; } = "127.0.0.1";

    public int ListenPort { get; init; }

    /// <summary>Added to every chunk in each direction (one way), so a round trip gains twice this.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>A flow with no traffic for this long is forgotten and broken per <see cref="Mode"/>; null never forgets.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    public FlowBreak Mode { get; init; } = FlowBreak.Silent;

    /// <summary>The size of one read from a socket, and so of one buffered chunk.</summary>
    public const int ChunkBytes = 64 * 1024;

    /// <summary>
    /// Bytes a flow holds per direction while they wait out the latency or a peer that does not read. When they are
    /// full the proxy stops reading from the sender, whose TCP window then closes: backpressure, as a real link has.
    /// Rounded up to whole <see cref="ChunkBytes"/> chunks; one chunk being sent and one just read come on top.
    /// </summary>
    public int MaxBufferedBytesPerDirection { get; init; } = 1024 * 1024;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (ListenPort is < 0 or > 65535) problems.Add($"listen port {ListenPort} is outside 0-65535");
        if (Latency < TimeSpan.Zero) problems.Add("latency is negative");
        if (IdleTimeout <= TimeSpan.Zero) problems.Add("idle timeout must be positive");
        if (MaxBufferedBytesPerDirection < 1) problems.Add("buffered bytes per direction must be at least 1");
        return problems;
    }
}
