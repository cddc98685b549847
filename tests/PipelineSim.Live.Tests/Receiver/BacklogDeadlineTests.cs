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
        receiver = await LiveReceiver.StartAsync(new ReceiverSpec
        {
            Name = "r",
            Http = new ReceiveHttpOptions { ListenPort = 0, ConnLimit = 1, ServerIdleTimeout = IdleTimeout },
        }, context);
        // w2's own timeout is far off, so the deadline it pushes under is the one the receiver handed down.
        w2 = new LiveWriter("w2", WriteTo(backend.BaseUri.ToString(), remoteTimeout: TimeSpan.FromMinutes(5)), context);
        receiver.ForwardTo([w2]);
    }

    public async Task DisposeAsync()
    {
        await w2.DisposeAsync();
        await receiver.DisposeAsync();
        await backend.DisposeAsync();
    }

    [Fact]
    public async Task A_request_that_waited_in_the_backlog_counts_its_timeout_from_the_accept()
    {
        // At 0 s the holder pushes; its idle keep-alive connection keeps the only slot until Go's idle timeout, 3 s on.
        await using var holder = new LiveWriter("w1", WriteTo(receiver.BaseUri.ToString(), remoteTimeout: Timeout), context);
        Assert.True((await holder.PushAsync(Push(), Agent("holder"))).Succeeded);

        // At 1 s the waiter connects into the backlog and sends its whole request, stating it arrives now with 10 s left.
        time.Advance(TimeSpan.FromSeconds(1));
        using var waiter = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await waiter.ConnectAsync(receiver.EndPoint);
        await waiter.SendAsync(PushRequestBytes(context.Clock));
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

    /// <summary>A whole Connect Push from "waiter", as a live writer on <paramref name="clock"/> writes it now with 10 s left.</summary>
    private static byte[] PushRequestBytes(LiveClock clock)
    {
        byte[] body = Push(service: "waiter").ToByteArray();
        string head = "POST /push.v1.PusherService/Push HTTP/1.1\r\nHost: r\r\nContent-Type: application/proto\r\n"
            + "Connect-Protocol-Version: 1\r\n"
            + $"{ConnectTimeout.HeaderName}: {(long)Timeout.TotalMilliseconds}\r\n"
            + $"{DeadlineAnchor.HeaderName}: {DeadlineAnchor.Format(clock, clock.Now)}\r\n"
            + $"{WriterEndpoint.SourceHeader}: waiter\r\n"
            + $"Content-Length: {body.Length}\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. body];
    }
}
