using System.Net;
using System.Net.Sockets;
using PipelineSim.Live.Proxy;
using static PipelineSim.Live.Tests.Support.Live;
using PipelineSim.Live.Tests.Support;

namespace PipelineSim.Live.Tests.Proxy;

/// <summary>
/// A proxy with latency in front of an upstream that never reads: the proxy must hold a bounded amount and push back
/// on the sender, not read everything the sender offers into memory; and what it held must go when the flow ends.
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public sealed class ProxyBufferTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task A_sender_into_an_upstream_that_never_reads_is_held_back_at_the_buffer_bound()
    {
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 64 * 1024 };
        upstream.Bind(AnyLoopbackPort);
        upstream.Listen(4);
        var accepting = upstream.AcceptAsync();
        await using var proxy = FaultProxy.Start("link", new FaultProxyOptions
        {
            Latency = Ms(20),
            MaxBufferedBytesPerDirection = MiB,
        }, (IPEndPoint)upstream.LocalEndPoint!, new LiveContext());

        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { SendBufferSize = 64 * 1024 };
        await client.ConnectAsync(proxy.EndPoint);
        using var server = await accepting; // accepted, never read

        const long offered = 256L * MiB;
        long written = 0;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        using var stopWriting = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var chunk = new byte[MiB];
            try
            {
                while (Interlocked.Read(ref written) < offered)
                {
                    int sent = await client.SendAsync(chunk, SocketFlags.None, stopWriting.Token);
                    Interlocked.Add(ref written, sent);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        });

        // Wait until the writer finishes (no backpressure) or stops making progress for a second (held back).
        long last = -1;
        var give = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!writer.IsCompleted && DateTime.UtcNow < give)
        {
            long now = Interlocked.Read(ref written);
            if (now == last) break;
            last = now;
            await Task.Delay(1000);
        }
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        long buffered = proxy.BufferedBytes;

        Assert.False(writer.IsCompleted, $"the client wrote all {offered / MiB} MiB into an upstream that never reads");
        // The queue's chunks, plus the one being sent and the one just read.
        Assert.InRange(buffered, 1, proxy.MaxBufferedBytesPerDirection + 2 * FaultProxyOptions.ChunkBytes);
        Assert.True(Interlocked.Read(ref written) < 32L * MiB, $"{Interlocked.Read(ref written) / MiB} MiB went into the proxy");
        Assert.True(allocated < 16L * MiB, $"the proxy allocated {allocated / MiB} MiB while holding the sender back");
        var flow = Assert.Single(proxy.Flows());
        Assert.Equal(buffered, flow.BufferedBytes);

        // The client goes away and so does the upstream: the flow ends and gives back what it held.
        await stopWriting.CancelAsync();
        client.Dispose();
        await writer;
        server.Close(0);
        await Eventually(() => proxy.OpenFlows == 0 && proxy.BufferedBytes == 0, TimeSpan.FromSeconds(10),
            "the flow to end and its buffers to be released");
    }

    [Fact]
    public async Task Data_still_arrives_whole_and_in_order_through_the_bounded_buffers()
    {
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        upstream.Bind(AnyLoopbackPort);
        upstream.Listen(4);
        var accepting = upstream.AcceptAsync();
        await using var proxy = FaultProxy.Start("link", new FaultProxyOptions
        {
            Latency = Ms(5),
            MaxBufferedBytesPerDirection = 128 * 1024,
        }, (IPEndPoint)upstream.LocalEndPoint!, new LiveContext());
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(proxy.EndPoint);
        using var server = await accepting;

        var payload = new byte[4 * MiB];
        new Random(7).NextBytes(payload);
        var sending = Task.Run(async () =>
        {
            await client.SendAsync(payload, SocketFlags.None);
            client.Shutdown(SocketShutdown.Send);
        });
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await server.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30))) > 0)
            received.Write(buffer, 0, read);
        await sending;
        Assert.Equal(payload, received.ToArray());
    }
}
