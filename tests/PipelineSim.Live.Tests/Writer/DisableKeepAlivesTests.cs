using System.Net;
using System.Net.Sockets;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Live.Writer;
using PipelineSim.Spec;
using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Writer;

/// <summary>
/// <c>disable_keep_alives</c> on a live writer, against real sockets on loopback: Go sends <c>Connection: close</c>
/// and closes the connection after each answer, and closes a connection whose dial completes after its request gave
/// up instead of handing it on (Core's <c>FreeConnection.MayBeReused</c>; the simulator's ConnectionFidelityTests).
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public class DisableKeepAlivesTests
{
    private static WriteOptions Options(string url, bool disableKeepAlives, TimeSpan? remoteTimeout = null)
    {
        var options = WriteTo(url, remoteTimeout);
        var endpoint = options.Endpoints[0];
        return options with { Endpoints = [endpoint with { Transport = endpoint.Transport with { DisableKeepAlives = disableKeepAlives } }] };
    }

    [Theory]
    [InlineData(true, 3)]
    [InlineData(false, 1)]
    public async Task The_receiver_sees_one_connection_per_request_only_with_keep_alives_off(bool disableKeepAlives, int connections)
    {
        await Warmup.EnsureAsync();
        var records = new RecordingSink();
        var context = new LiveContext(sink: records);
        await using var receiver = await LiveReceiver.StartAsync(
            new ReceiverSpec { Name = "r", Http = new ReceiveHttpOptions { ListenPort = 0 } }, context);
        receiver.ForwardTo([new SlowTarget(TimeSpan.Zero)]);
        await using var writer = new LiveWriter("w", Options(receiver.BaseUri.ToString(), disableKeepAlives), context);

        for (int i = 0; i < 3; i++) Assert.True((await writer.PushAsync(Push(), Agent())).Succeeded);

        Assert.Equal(connections, receiver.Stats().ConnectionsAccepted);
        Assert.Equal(connections, records.Attempts.Select(a => a.ConnectionId).Distinct().Count());
        Assert.Equal(3 - connections, records.Attempts.Count(a => a.Reused));
        // With keep-alives off nothing stays open once the answers are in: both ends closed every connection.
        if (disableKeepAlives) await Eventually(() => writer.OpenConnections == 0, TimeSpan.FromSeconds(5), "every connection closed");
        Assert.Equal(0, writer.LateDialsClosed);
    }

    [Fact]
    public async Task A_dial_that_completes_after_its_request_gave_up_is_closed_unused()
    {
        // A listener whose accept queue holds one connection (backlog 0) and is full: Linux drops the writer's SYN,
        // and its kernel retries it about 1 s later, after the request has given up at 300 ms.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(AnyLoopbackPort);
        listener.Listen(0);
        var endPoint = (IPEndPoint)listener.LocalEndPoint!;
        using var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await filler.ConnectAsync(endPoint);

        var records = new RecordingSink();
        var context = new LiveContext(sink: records);
        await using var writer = new LiveWriter("w", Options($"http://127.0.0.1:{endPoint.Port}", disableKeepAlives: true, Ms(300)), context);
        var result = await writer.PushAsync(Push(), Agent());

        Assert.Equal(ConnectCode.DeadlineExceeded, Assert.Single(result.Failures).LastError.Code);
        Assert.Equal(-1, Assert.Single(records.Attempts).ConnectionId); // it never had a connection

        // Room in the queue: the retried SYN completes the dial, and the writer closes what it can no longer use.
        using (await listener.AcceptAsync()) { }
        using var late = await listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var buffer = new byte[256];
        int read = await late.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, read); // closed without a request: not handed on, not pooled
        Assert.Equal((1L, 0), (writer.LateDialsClosed, writer.OpenConnections));
    }
}
