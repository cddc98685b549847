using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using PipelineSim.Live.Time;

namespace PipelineSim.Live.Hosting;

/// <summary>
/// Kestrel's socket transport with Go's accept loop: the listening socket and its accepts are ours (through
/// <see cref="AcceptLoop"/>), the accepted sockets become Kestrel connections through Kestrel's own
/// <see cref="SocketConnectionContextFactory"/>. Kestrel's stock listener treats every accept error but an abort as a
/// reset connection and accepts again at once: out of descriptors, that loop spins.
/// </summary>
/// <param name="clock">The run's clock, on which each accepted connection is stamped (<see cref="ConnectionAccept"/>); null: none is.</param>
/// <param name="holdHungUpFin">Whether a connection accepted after its client hung up shows Kestrel the FIN only once its
/// handler has read the request body, as Go does (<see cref="PeerHangUp"/>).</param>
internal sealed class GoSocketTransport(int backlog, string name, Action<string>? warn, LiveClock? clock = null,
    bool holdHungUpFin = false)
    : IConnectionListenerFactory
{
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            socket.Listen(backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new ValueTask<IConnectionListener>(new Listener(socket, new AcceptLoop(socket, name, warn), clock, holdHungUpFin));
    }

    private sealed class Listener(Socket socket, AcceptLoop accepts, LiveClock? clock, bool holdHungUpFin) : IConnectionListener
    {
        private readonly SocketConnectionContextFactory connections =
            new(new SocketConnectionFactoryOptions(), NullLogger.Instance);
        private readonly CancellationTokenSource unbound = new();

        public EndPoint EndPoint { get; } = socket.LocalEndPoint!;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, unbound.Token);
            bool queued = clock is not null && IsConnectionQueued();
            var accepted = await accepts.AcceptAsync(stop.Token).ConfigureAwait(false);
            if (accepted is null) return null;
            // Before Kestrel's connection starts reading: then whether the request was already waiting can still be seen.
            var accept = clock is null ? null : ConnectionAccept.Take(accepted, clock, queued);
            try
            {
                accepted.NoDelay = true; // as Kestrel's transport (and Go's net package) set it
            }
            catch (SocketException)
            {
                // The peer is already gone; Kestrel finds out on the first read.
            }
            var connection = connections.Create(accepted);
            accept?.AttachTo(connection);
            return PeerHangUp.MarkIfHungUp(accepted, connection, holdHungUpFin);
        }

        /// <summary>Whether a completed connection is waiting in the accept queue (the listening socket is readable).</summary>
        private bool IsConnectionQueued()
        {
            try
            {
                return socket.Poll(0, SelectMode.SelectRead);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return false; // unbound meanwhile: the accept below ends the loop
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            unbound.Cancel();
            socket.Dispose();
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            unbound.Cancel();
            socket.Dispose();
            connections.Dispose();
            unbound.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
