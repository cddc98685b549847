using System.Net;
using Microsoft.AspNetCore.Connections;
using PipelineSim.Core.Time;
using PipelineSim.Live.Hosting;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Live.Time;

namespace PipelineSim.Live.Tests.Receiver;

/// <summary>
/// Which accepts of <see cref="LimitListenerFactory"/> take a connection that waited in the backlog behind
/// <c>conn_limit</c>, so that its request counts from the accept (<see cref="ConnectionAccept.RequestWaited"/>). No
/// sockets: the transport below is a script of accepts, each saying whether its connection was already queued.
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public sealed class LimitListenerHoldTests
{
    private readonly ScriptedListener transport = new();
    private readonly ConnectionSlots slots = new(limit: 2, new LiveClock(1.0, new ManualTimeProvider()));

    [Fact]
    public async Task The_hold_lasts_until_an_accept_finds_the_backlog_drained()
    {
        var listener = await new LimitListenerFactory(transport, slots).BindAsync(new IPEndPoint(IPAddress.Loopback, 0));

        // Two connections arrive at free slots: nothing holds them.
        var holder1 = await AcceptAsync(listener, queued: false);
        var holder2 = await AcceptAsync(listener, queued: false);
        Assert.False(Waited(holder1));
        Assert.False(Waited(holder2));

        // At the limit the accept waits; two connections queue up behind it. Both holders close together.
        transport.Script(queued: true);
        transport.Script(queued: true);
        var held = listener.AcceptAsync().AsTask();
        Assert.False(held.IsCompleted);
        await holder1.DisposeAsync();
        await holder2.DisposeAsync();
        var waiter1 = (await held)!;
        // The second slot is already free, so this accept does not wait; its connection waited all the same.
        var waiter2 = (await listener.AcceptAsync())!;
        Assert.True(Waited(waiter1));
        Assert.True(Waited(waiter2));

        // The next accept finds the queue empty and waits for a connection that comes later: not held, and the hold ends.
        await waiter1.DisposeAsync();
        var later = await AcceptAsync(listener, queued: false);
        Assert.False(Waited(later));
        // A connection queued since (a real-time delay of the accept, with slots free) did not wait behind the limit.
        await waiter2.DisposeAsync();
        var afterDrain = await AcceptAsync(listener, queued: true);
        Assert.False(Waited(afterDrain));
    }

    private async Task<ConnectionContext> AcceptAsync(IConnectionListener listener, bool queued)
    {
        transport.Script(queued);
        var connection = listener.AcceptAsync();
        Assert.True(connection.IsCompleted, "a slot was free");
        return (await connection)!;
    }

    private static bool Waited(ConnectionContext connection) => ConnectionAccept.Of(connection)!.RequestWaited;

    /// <summary>A transport whose accepts return the connections scripted, stamped as the socket transport stamps them.</summary>
    private sealed class ScriptedListener : IConnectionListenerFactory, IConnectionListener
    {
        private readonly Queue<bool> accepts = new();

        public EndPoint EndPoint { get; } = new IPEndPoint(IPAddress.Loopback, 0);

        /// <summary>The next accept returns a connection with its request readable, queued or not when accept was called.</summary>
        public void Script(bool queued) => accepts.Enqueue(queued);

        public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IConnectionListener>(this);

        public ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            bool queued = accepts.Dequeue();
            var connection = new DefaultConnectionContext();
            new ConnectionAccept(Instant.Zero, RequestQueued: queued) { Queued = queued }.AttachTo(connection);
            return ValueTask.FromResult<ConnectionContext?>(connection);
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
