namespace PipelineSim.Core.Limits;

/// <summary>
/// Linux's accept queue for a listening socket. <c>listen(2)</c> caps the backlog at <c>net.core.somaxconn</c>
/// (net/socket.c, <c>__sys_listen</c>; Go passes somaxconn itself, net/sock_linux.go <c>maxListenerBacklog</c>), and
/// the queue counts as full only when it holds <em>more</em> than the backlog (include/net/sock.h,
/// <c>sk_acceptq_is_full</c>: <c>sk_ack_backlog &gt; sk_max_ack_backlog</c>). So a backlog of n holds n + 1 completed
/// connections, and the n + 2nd SYN is dropped.
/// </summary>
public static class AcceptQueue
{
    /// <summary>How many completed connections wait for <c>accept</c> with this listen backlog; unbounded stays unbounded.</summary>
    public static int Capacity(int listenBacklog)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(listenBacklog);
        return listenBacklog == int.MaxValue ? int.MaxValue : listenBacklog + 1;
    }
}
