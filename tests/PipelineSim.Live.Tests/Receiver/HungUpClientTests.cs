using System.Net.Sockets;
using System.Text;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Core.Server;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Live.Wire;
using PipelineSim.Live.Writer;
using PipelineSim.Spec;
using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Receiver;

/// <summary>
/// Requests whose client hung up while the connection waited in the accept backlog. The live receiver recognises
/// such a connection at accept (its socket is in CLOSE_WAIT) and counts its request through Core's
/// <see cref="HungUpClientRequests"/>. Kestrel, unlike Go, aborts the request as soon as its transport sees the FIN,
/// before the handler reads the body, so live forwards none of them whatever <see cref="HungUpClientRace"/> would say.
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public class HungUpClientTests
{
    private const int LateClients = 3;

    [Fact]
    public async Task Requests_accepted_after_their_clients_hung_up_are_counted_and_never_forwarded()
    {
        await Warmup.EnsureAsync();
        var context = new LiveContext();
        await using var receiver = await LiveReceiver.StartAsync(new ReceiverSpec
        {
            Name = "r",
            Http = new ReceiveHttpOptions { ListenPort = 0, ConnLimit = 1 },
        },
        context,
        // Should a body be read before Kestrel's abort, Core's race decides: here it never forwards.
        new HungUpClientRace(0, TimeSpan.FromMicroseconds(100)));
        var target = new CountingTarget();
        receiver.ForwardTo([target]);
        string url = receiver.BaseUri.ToString();

        // The holder's idle keep-alive connection keeps the only slot.
        var holder = new LiveWriter("holder", WriteTo(url), context);
        Assert.True((await holder.PushAsync(Push(), Agent())).Succeeded);

        // Each late client connects (the kernel completes the handshake into the backlog), writes its whole request,
        // and gives up: it closes, and its FIN queues behind the request.
        for (int i = 0; i < LateClients; i++)
        {
            using var late = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await late.ConnectAsync(receiver.EndPoint);
            string request = $"POST /ingest?name=late{i} HTTP/1.1\r\nHost: r\r\nContent-Type: application/octet-stream\r\nContent-Length: 5\r\n\r\nhello";
            await late.SendAsync(Encoding.ASCII.GetBytes(request));
            late.Shutdown(SocketShutdown.Send);
        }
        await Eventually(() => receiver.AcceptBacklog == LateClients, TimeSpan.FromSeconds(2), "the late clients in the backlog");
        Assert.Equal(0, receiver.Stats().RequestsAfterHangUp);

        // The slot frees: the backlog is accepted one connection at a time, each request read after its client left.
        await holder.DisposeAsync();
        await Eventually(() => receiver.Stats().RequestsAfterHangUp == LateClients, TimeSpan.FromSeconds(5),
            $"{LateClients} requests read after their clients hung up");

        var stats = receiver.Stats();
        Assert.Equal(0, stats.DuplicateForwards);
        Assert.Equal(1, target.Forwarded); // the holder's push only
        Assert.Equal(1 + LateClients, stats.ConnectionsAccepted);
        var samples = context.Metrics.Snapshot(Core.Time.Instant.Zero);
        Assert.Equal(LateClients, samples.Single(m => m.Name == MetricNames.HungUpRequests && m.Labels.Contains("outcome=\"canceled\"")).Value);
        Assert.Equal(0, samples.Single(m => m.Name == MetricNames.HungUpRequests && m.Labels.Contains("outcome=\"forwarded\"")).Value);
    }

    /// <summary>Counts forwards made under a live context and those whose context was already canceled.</summary>
    private sealed class CountingTarget : IProfilesTarget
    {
        private int forwarded;
        private int canceled;

        public string Name => "counting";

        public int Forwarded => Volatile.Read(ref forwarded);

        public int Canceled => Volatile.Read(ref canceled);

        public Task<WriteResult> AppendAsync(RawProfileSeries series, PushContext context, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref cancellationToken.IsCancellationRequested ? ref canceled : ref forwarded);
            return Task.FromResult(WriteResult.Success);
        }

        public Task<WriteResult> AppendIngestAsync(IngestRequest request, PushContext context, CancellationToken cancellationToken) =>
            AppendAsync(new RawProfileSeries(), context, cancellationToken);
    }
}
