using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using PipelineSim.Core.Time;
using PipelineSim.Live.Time;

namespace PipelineSim.Live.Hosting;

/// <summary>
/// When a live server accepted a connection, on the run's clock, and whether the client's request was already waiting
/// in the socket then: it had come while the connection sat in the accept backlog, so the server reads it at the
/// accept (Core's <see cref="PipelineSim.Core.Server.RequestRead"/>). Taken by the transport as <c>accept(2)</c>
/// returns, before Kestrel dispatches the connection, so the instant is the accept's and not a thread pool's.
/// </summary>
/// <param name="At">The accept, on the run's clock.</param>
/// <param name="RequestWaiting">Bytes were readable at the accept: the request had come before it.</param>
internal sealed record ConnectionAccept(Instant At, bool RequestWaiting)
{
    private static readonly object ItemKey = new();

    /// <summary>
    /// The accept of a socket <c>accept(2)</c> has just returned, on <paramref name="clock"/>; taken before anything
    /// reads from the socket, or the waiting request would no longer be seen.
    /// </summary>
    public static ConnectionAccept Take(Socket accepted, LiveClock clock)
    {
        var at = clock.Now;
        return new ConnectionAccept(at, HasBytesWaiting(accepted));
    }

    /// <summary>Carries the stamp with the connection, for its requests' handlers to find (<see cref="Of"/>).</summary>
    public void AttachTo(ConnectionContext connection) => connection.Items[ItemKey] = this;

    /// <summary>The stamp of the connection the request of <paramref name="http"/> came on; null when its transport took none.</summary>
    public static ConnectionAccept? Of(HttpContext http) =>
        http.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ItemKey, out var stamp) == true ? stamp as ConnectionAccept : null;

    private static bool HasBytesWaiting(Socket accepted)
    {
        try
        {
            return accepted.Available > 0; // FIONREAD
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Reset meanwhile: Kestrel finds out on its first read, and no request is handled.
            return false;
        }
    }
}
