using PipelineSim.Spec;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Connect;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Live.Time;
using PipelineSim.Live.Writer;
using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Receiver;

/// <summary>
/// A request that waits in the accept backlog behind <c>conn_limit</c> is read when its connection is accepted, and a
/// Go server counts its <c>Connect-Timeout-Ms</c> from that read, not from its sending (Core's
/// <see cref="Core.Server.RequestRead"/>, as the simulator's HttpServer does). Time is a <see cref="ManualTimeProvider"/>:
/// it stands still while the bytes travel, so the backlog wait is exactly the time the test moves it on.
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public sealed class BacklogDeadlineTests : IAsyncLifetime
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly ManualTimeProvider time = new();
    private readonly RecordingSink records = new();
    private readonly LiveContext context;
    private BackendStub backend = null!;
    private LiveReceiver receiver = null!;
    private LiveWriter w2 = null!;

    public BacklogDeadlineTests() => context = new LiveContext(new LiveClock(1.0, time), records, seed: 3);

    public async Task InitializeAsync()
    {
        await Warmup.EnsureAsync();
        backend = await BackendStub.StartAsync(StubBackend("pyroscope"), context);
        // w2's own timeout is far off, so the deadline it pushes under is the one the receiver handed down.
        w2 = new LiveWriter("w2", WriteTo(backend.BaseUri.ToString(), remoteTimeout: TimeSpan.FromMinutes(5)), context);
    }

    public async Task DisposeAsync()
    {
        await w2.DisposeAsync();
        if (receiver is not null) await receiver.DisposeAsync();
        await backend.DisposeAsync();
    }

    private async Task StartReceiverAsync(int connLimit)
    {
        receiver = await LiveReceiver.StartAsync(new ReceiverSpec
        {
            Name = "r",
            Http = new ReceiveHttpOptions { ListenPort = 0, ConnLimit = connLimit, ServerIdleTimeout = IdleTimeout },
        }, context);
        receiver.ForwardTo([w2]);
    }

    [Fact]
    public async Task A_request_that_waited_in_the_backlog_counts_its_timeout_from_the_accept()
    {
        await StartReceiverAsync(connLimit: 1);
        // At 0 s the holder pushes; its idle keep-alive connection keeps the only slot until Go's idle timeout, 3 s on.
        await using var holder = new LiveWriter("w1", WriteTo(receiver.BaseUri.ToString(), remoteTimeout: Timeout), context);
        Assert.True((await holder.PushAsync(Push(), Agent("holder"))).Succeeded);

        // At 1 s the waiter connects into the backlog and sends its whole request, stating it arrives now with 10 s left.
        time.Advance(TimeSpan.FromSeconds(1));
        using var waiter = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await waiter.ConnectAsync(receiver.EndPoint);
        await waiter.SendAsync(PushRequestBytes(context.Clock, "waiter"));
        await Eventually(() => receiver.AcceptBacklog == 1, TimeSpan.FromSeconds(10), "the waiter in the accept backlog");

        // At 3 s the holder's connection idles out, and the waiter's is accepted, its request read, and forwarded.
        time.Advance(IdleTimeout - time.Elapsed);
        waiter.ReceiveTimeout = 10_000;
        Assert.Equal("answered", ResponseHead.Receive(waiter));

        var forwarded = records.Pushes.Where(p => p.Writer == "w2").ToDictionary(p => p.Source);
        Assert.Equal(PushResult.Delivered, forwarded["waiter"].Result);
        // Counted from the accept at 3 s, not from the sending at 1 s: Go would have the 10 s run out at 13 s.
        Assert.Equal(IdleTimeout + Timeout, forwarded["waiter"].ParentDeadline.When.SinceStart);
        // A request on a connection accepted before it came counts from its arrival: the holder's, exactly w1's own.
        var holderAttempt = Assert.Single(records.Attempts, a => a.Writer == "w1");
        Assert.Equal(holderAttempt.Deadline, forwarded["holder"].ParentDeadline);
        Assert.Equal(Timeout, holderAttempt.Deadline.When.SinceStart);
        Assert.Equal(2, receiver.Stats().ConnectionsAccepted);
    }

    [Fact]
    public async Task Every_request_of_the_backlog_counts_from_its_accept_when_two_slots_free_together()
    {
        await StartReceiverAsync(connLimit: 2);
        // At 0 s two holders push; their idle keep-alive connections keep both slots and idle out together at 3 s.
        await using var holder1 = new LiveWriter("w1", WriteTo(receiver.BaseUri.ToString(), remoteTimeout: Timeout), context);
        await using var holder2 = new LiveWriter("w1b", WriteTo(receiver.BaseUri.ToString(), remoteTimeout: Timeout), context);
        Assert.True((await holder1.PushAsync(Push(), Agent("holder1"))).Succeeded);
        Assert.True((await holder2.PushAsync(Push(), Agent("holder2"))).Succeeded);
        Assert.Equal(2, receiver.Stats().ConnectionsAccepted);

        // At 1 s two waiters connect into the backlog and send their whole requests.
        time.Advance(TimeSpan.FromSeconds(1));
        using var waiter1 = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var waiter2 = new Socket(SocketType.Stream, ProtocolType.Tcp);
        foreach (var (socket, source) in new[] { (waiter1, "waiter1"), (waiter2, "waiter2") })
        {
            await socket.ConnectAsync(receiver.EndPoint);
            await socket.SendAsync(PushRequestBytes(context.Clock, source));
        }
        await Eventually(() => receiver.AcceptBacklog == 2, TimeSpan.FromSeconds(10), "both waiters in the accept backlog");

        // At 3 s both slots free at once. The accept of the second waiter need not wait for its slot (the second one is
        // free by then), yet its connection sat in the backlog as long as the first's: Go reads both requests at 3 s.
        time.Advance(IdleTimeout - time.Elapsed);
        waiter1.ReceiveTimeout = 10_000;
        waiter2.ReceiveTimeout = 10_000;
        Assert.Equal("answered", ResponseHead.Receive(waiter1));
        Assert.Equal("answered", ResponseHead.Receive(waiter2));

        var forwarded = records.Pushes.Where(p => p.Writer == "w2").ToDictionary(p => p.Source);
        Assert.Equal(IdleTimeout + Timeout, forwarded["waiter1"].ParentDeadline.When.SinceStart);
        Assert.Equal(IdleTimeout + Timeout, forwarded["waiter2"].ParentDeadline.When.SinceStart);
        Assert.Equal(Timeout, forwarded["holder1"].ParentDeadline.When.SinceStart);
        Assert.Equal(4, receiver.Stats().ConnectionsAccepted);
    }

    /// <summary>A whole Connect Push from <paramref name="source"/>, as a live writer on <paramref name="clock"/> writes it now with 10 s left.</summary>
    private static byte[] PushRequestBytes(LiveClock clock, string source)
    {
        byte[] body = Push(service: source).ToByteArray();
        string head = "POST /push.v1.PusherService/Push HTTP/1.1\r\nHost: r\r\nContent-Type: application/proto\r\n"
            + "Connect-Protocol-Version: 1\r\n"
            + $"{ConnectTimeout.HeaderName}: {(long)Timeout.TotalMilliseconds}\r\n"
            + $"{DeadlineAnchor.HeaderName}: {DeadlineAnchor.Format(clock, clock.Now)}\r\n"
            + $"{WriterEndpoint.SourceHeader}: {source}\r\n"
            + $"Content-Length: {body.Length}\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. body];
    }
}
