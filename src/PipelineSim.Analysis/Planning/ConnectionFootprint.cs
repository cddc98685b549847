namespace PipelineSim.Analysis.Planning;

/// <summary>
/// What a conn_limit costs one receiver instance in file descriptors and memory. These are estimates from how Go and
/// Linux allocate, not measurements; measure the real process before relying on them.
/// <list type="bullet">
/// <item>File descriptors: one per accepted connection (connections waiting in the accept backlog are the kernel's
/// and have none yet), plus the downstream pools of the <c>forward_to</c> writers (up to MaxIdleConnsPerHost, 1000,
/// per endpoint), plus about <see cref="BaseDescriptors"/> for Alloy itself (listeners, other components, files).</item>
/// <item>User space, per connection, <see cref="UserBytesPerConnection"/>: Go's net/http server gives each connection
/// a 4 KiB bufio.Reader and a 4 KiB bufio.Writer (<c>newBufioReader</c>, <c>newBufioWriterSize(.., 4&lt;&lt;10)</c> in
/// net/http/server.go), a goroutine whose stack starts at 2 KiB and commonly grows to 8 KiB while serving, and about
/// 1 KiB of connection state: 10–17 KiB, taken as 16 KiB.</item>
/// <item>Kernel, per idle connection, <see cref="KernelBytesPerIdleConnection"/>: the TCP socket (struct tcp_sock
/// about 2 KiB) with its socket, file and dentry objects. Socket buffers are allocated only while data waits; a
/// connection receiving a push holds up to the request's bytes in its receive buffer (bounded by tcp_rmem, 128 KiB
/// by default before autotuning), which <see cref="BusyBytes"/> adds for every connection at once as an upper bound.</item>
/// </list>
/// </summary>
public sealed record ConnectionFootprint(int ConnLimit, int FileDescriptors, long IdleBytes, long BusyBytes)
{
    public const int BaseDescriptors = 100;
    public const long UserBytesPerConnection = 16 * 1024;
    public const long KernelBytesPerIdleConnection = 4 * 1024;

    /// <summary>A LimitNOFILE (ulimit -n) that covers the descriptors: the next multiple of 1024.</summary>
    public int SuggestedNoFileLimit => (FileDescriptors + 1023) / 1024 * 1024;

    /// <param name="meanRequestBytes">Mean bytes of one push request, measured from the runs.</param>
    public static ConnectionFootprint For(int connLimit, ReceiverFacts facts, double meanRequestBytes)
    {
        long idle = connLimit * (UserBytesPerConnection + KernelBytesPerIdleConnection);
        long busy = idle + (long)Math.Ceiling(connLimit * Math.Max(0, meanRequestBytes));
        return new ConnectionFootprint(connLimit, connLimit + facts.DownstreamConnections + BaseDescriptors, idle, busy);
    }
}
