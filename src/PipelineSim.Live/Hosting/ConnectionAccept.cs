using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using PipelineSim.Core.Time;
using PipelineSim.Live.Time;

namespace PipelineSim.Live.Hosting;

/// <summary>
/// When a live server accepted a connection, on the run's clock, and whether the client's request had waited for that
/// accept: it was in the socket before the server went to accept, having come while a <c>conn_limit</c> held the server
/// back. Such a request is read at the accept (Core's <see cref="PipelineSim.Core.Server.RequestRead"/>).
/// <para>
/// All three conditions are needed to tell a wait the scenario has from the real scheduling delays every accept carries.
/// A server that was accepting when the connection came (its accept call pending, or no limit in the way) answers
/// within microseconds to milliseconds of real time; a client on loopback sends its request as soon as its handshake
/// completes, so under load the bytes are often there before the accept returns, and counting from that accept would
/// put the receiver's deadline a few scenario milliseconds after the writer's. The simulator accepts at once there.
/// </para>
/// </summary>
/// <param name="At">The accept, on the run's clock, as <c>accept(2)</c> returned and before Kestrel dispatched it.</param>
/// <param name="RequestQueued">
/// The connection was already queued when the server called accept, and its request's bytes were readable then.
/// </param>
internal sealed record ConnectionAccept(Instant At, bool RequestQueued)
{
    private static readonly object ItemKey = new();

    /// <summary>
    /// The connection was already waiting in the accept queue when the server called accept, whether or not its request
    /// had come (<see cref="RequestQueued"/> needs both).
    /// </summary>
    public bool Queued { get; init; }

    /// <summary>
    /// A <c>conn_limit</c> held the server's accepts back, and the backlog that built up meanwhile had not yet drained
    /// when this connection was accepted.
    /// </summary>
    public bool HeldBack { get; init; }

    /// <summary>The request waited in the backlog for this accept, so it is read here.</summary>
    public bool RequestWaited => HeldBack && RequestQueued;

    /// <summary>
    /// The accept of a socket <c>accept(2)</c> has just returned, on <paramref name="clock"/>; taken before anything
    /// reads from the socket, or the waiting request would no longer be seen.
    /// </summary>
    /// <param name="queued">Whether the connection was already in the accept queue when the accept was called.</param>
    public static ConnectionAccept Take(Socket accepted, LiveClock clock, bool queued)
    {
        var at = clock.Now;
        return new ConnectionAccept(at, queued && HasBytesWaiting(accepted)) { Queued = queued };
    }

    /// <summary>Carries the stamp with the connection, for its requests' handlers to find (<see cref="Of"/>).</summary>
    public void AttachTo(ConnectionContext connection) => connection.Items[ItemKey] = this;

    /// <summary>Notes on <paramref name="connection"/>'s stamp, if it has one, that a connection limit held its accept back.</summary>
    public static void MarkHeldBack(ConnectionContext connection)
    {
        if (Of(connection) is { } accept) (accept with { HeldBack = true }).AttachTo(connection);
    }

    /// <summary>The stamp of <paramref name="connection"/>; null when its transport took none.</summary>
    public static ConnectionAccept? Of(ConnectionContext connection) => Find(connection.Items);

    /// <summary>The stamp of the connection the request of <paramref name="http"/> came on; null when its transport took none.</summary>
    public static ConnectionAccept? Of(HttpContext http) =>
        http.Features.Get<IConnectionItemsFeature>()?.Items is { } items ? Find(items) : null;

    private static ConnectionAccept? Find(IDictionary<object, object?> items) =>
        items.TryGetValue(ItemKey, out var stamp) ? stamp as ConnectionAccept : null;

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
