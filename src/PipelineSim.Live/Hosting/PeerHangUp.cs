using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace PipelineSim.Live.Hosting;

/// <summary>
/// A connection whose client had already closed its side when the server accepted it: its request and its FIN waited
/// together in the accept backlog. The kernel has taken the FIN by then, so the socket is in CLOSE_WAIT, which Linux
/// reports through <c>TCP_INFO</c> (<c>tcpi_state</c>, the first byte); elsewhere nothing is marked.
/// </summary>
internal sealed class PeerHangUp
{
    private const int IpProtoTcp = 6;
    private const int TcpInfo = 11;
    private const byte TcpCloseWait = 8; // include/net/tcp_states.h

    private static readonly object ItemKey = new();

    private int raced;

    /// <summary>Marks a freshly accepted connection whose peer had hung up.</summary>
    public static void MarkIfHungUp(Socket accepted, ConnectionContext connection)
    {
        if (!OperatingSystem.IsLinux()) return;
        Span<byte> info = stackalloc byte[8];
        try
        {
            if (accepted.GetRawSocketOption(IpProtoTcp, TcpInfo, info) >= 1 && info[0] == TcpCloseWait)
                connection.Items[ItemKey] = new PeerHangUp();
        }
        catch (SocketException)
        {
            // Reset meanwhile: Kestrel finds out on its first read, and no request is handled.
        }
    }

    /// <summary>The mark of the connection the request of <paramref name="http"/> came on, or null for an ordinary one.</summary>
    public static PeerHangUp? Of(HttpContext http) =>
        http.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ItemKey, out var mark) == true ? mark as PeerHangUp : null;

    /// <summary>True the first time only: this connection's request is being counted (by the race, or as aborted before it).</summary>
    public bool TryCount() => Interlocked.Exchange(ref raced, 1) == 0;
}
