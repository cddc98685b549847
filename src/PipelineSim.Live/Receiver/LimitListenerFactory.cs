using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using PipelineSim.Live.Hosting;

namespace PipelineSim.Live.Receiver;

/// <summary>
/// Puts <c>netutil.LimitListener</c> between Kestrel and its socket transport. Kestrel's accept loop calls
/// <see cref="IConnectionListener.AcceptAsync"/> one connection at a time; here that call first waits for a slot
/// and only then accepts from the socket. At the limit nothing calls <c>accept(2)</c>, so new clients complete their
/// handshake into the kernel's listen backlog, send their request and wait, exactly as with Alloy. (Kestrel's own
/// <c>MaxConcurrentConnections</c> would accept and then close them instead: a refusal, not a wait.)
/// </summary>
internal sealed class LimitListenerFactory(IConnectionListenerFactory inner, ConnectionSlots slots) : IConnectionListenerFactory
{
    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        new LimitListener(await inner.BindAsync(endpoint, cancellationToken).ConfigureAwait(false), slots);

    private sealed class LimitListener(IConnectionListener inner, ConnectionSlots slots) : IConnectionListener
    {
        private readonly CancellationTokenSource unbound = new();

        // Kestrel calls AcceptAsync one at a time per listener, so this needs no lock. Set when a slot wait does not
        // finish at once; cleared by the first accept that finds the accept queue empty. In between, every accept takes
        // a connection from the backlog built up while the limit held: with two slots freed together, the second waiter
        // gets its slot at once, yet its connection waited as long as the first (the simulator accepts both at the release).
        private bool backlogFromHold;

        public EndPoint EndPoint => inner.EndPoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, unbound.Token);
            try
            {
                var slot = slots.WaitForSlotAsync(stop.Token);
                if (!slot.IsCompleted) backlogFromHold = true;
                await slot.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (unbound.IsCancellationRequested)
            {
                return null; // Kestrel reads null as "this listener is done".
            }

            ConnectionContext? connection;
            try
            {
                connection = await inner.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                slots.ReleaseSlot();
                throw;
            }
            if (connection is null)
            {
                slots.ReleaseSlot();
                return null;
            }
            slots.OnAccepted();
            // Connections that came while the limit held the accept back waited in the backlog, as in the simulator,
            // and a request among them is read at this accept (ConnectionAccept). An accept that found the queue empty
            // waited for a connection that came later, after the backlog had drained: the hold is over.
            if (backlogFromHold) ConnectionAccept.MarkHeldBack(connection);
            if (ConnectionAccept.Of(connection) is { Queued: false }) backlogFromHold = false;
            return new SlotHoldingConnection(connection, slots);
        }

        public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            await unbound.CancelAsync().ConfigureAwait(false);
            await inner.UnbindAsync(cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            await unbound.CancelAsync().ConfigureAwait(false);
            await inner.DisposeAsync().ConfigureAwait(false);
            unbound.Dispose();
        }
    }

    /// <summary>A transport connection that gives its slot back when Kestrel disposes it (Go's conn.Close).</summary>
    private sealed class SlotHoldingConnection(ConnectionContext inner, ConnectionSlots slots) : DelegatingConnection(inner)
    {
        private int disposed;

        public override async ValueTask DisposeAsync()
        {
            try
            {
                await base.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                if (Interlocked.Exchange(ref disposed, 1) == 0) slots.OnClosed();
            }
        }
    }
}
