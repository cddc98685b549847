using System.Net.Sockets;
using System.Text;
using Google.Protobuf;
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
/// such a connection at accept (its socket is in CLOSE_WAIT) and, as Go does, reads the request and starts the handler
/// before it lets Kestrel see the client's FIN (once the body is read). Core's <see cref="HungUpClientRace"/> then
/// decides whether the handler forwards before its context is canceled, and <see cref="HungUpClientRequests"/> counts;
/// the tests set a certain outcome so that each answer is exact.
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public class HungUpClientTests
{
    private const int LateClients = 3;

    private static readonly TimeSpan NoticeDelay = TimeSpan.FromMicroseconds(100);

    [Fact]
    public async Task A_request_read_after_its_client_hung_up_reaches_the_backend_when_the_race_says_it_forwards()
    {
        var run = await LateClientsAsync(new HungUpClientRace(1, NoticeDelay));

        Assert.Equal(LateClients, run.Stats.RequestsAfterHangUp);
        Assert.Equal(LateClients, run.Stats.DuplicateForwards);
        // Each one reached the next hop under a live context: a duplicate of a push its client will retry.
        Assert.Equal(LateClients, run.Target.ForwardedFor("late"));
        Assert.Equal(0, run.Target.Canceled);
        Assert.Equal((0, LateClients), run.Outcomes);
    }

    [Fact]
    public async Task A_request_read_after_its_client_hung_up_is_canceled_when_the_race_says_the_fin_was_noticed_first()
    {
        var run = await LateClientsAsync(new HungUpClientRace(0, NoticeDelay));

        Assert.Equal(LateClients, run.Stats.RequestsAfterHangUp);
        Assert.Equal(0, run.Stats.DuplicateForwards);
        Assert.Equal(0, run.Target.ForwardedFor("late"));
        // The handler got as far as forwarding (Kestrel had not aborted it before the body was read), and its writers
        // were handed a canceled context, as Go's are when the background read wins.
        Assert.Equal(LateClients, run.Target.Canceled);
        Assert.Equal((LateClients, 0), run.Outcomes);
    }

    [Fact]
    public async Task A_handler_that_decodes_for_milliseconds_finds_its_context_canceled()
    {
        // Certain to forward with no work first; 5 ms of decoding against a 100 µs notice delay leaves e^-50 of that.
        var run = await LateClientsAsync(new HungUpClientRace(1, NoticeDelay), Distributions.Constant(0.005));

        Assert.Equal(LateClients, run.Stats.RequestsAfterHangUp);
        Assert.Equal(0, run.Stats.DuplicateForwards);
        Assert.Equal(LateClients, run.Target.Canceled);
    }

    [Fact]
    public async Task A_request_cut_short_by_its_clients_hang_up_is_never_forwarded_and_its_connection_closes()
    {
        // Go reads to the end of what the client sent: a body short of its Content-Length fails the handler's read, and
        // headers without their blank line never reach a handler. Neither may leave its connection (and the only slot)
        // waiting for bytes that will never come.
        byte[] whole = PushRequestBytes();
        byte[] shortBody = whole[..^4];
        byte[] partialHeaders = Encoding.ASCII.GetBytes("POST /push.v1.PusherService/Push HTTP/1.1\r\nHost: r\r\n");
        var run = await LateClientsAsync(new HungUpClientRace(1, NoticeDelay), requests: [shortBody, partialHeaders, shortBody],
            handled: 2);

        Assert.Equal(2, run.Stats.RequestsAfterHangUp);
        Assert.Equal(0, run.Stats.DuplicateForwards);
        Assert.Equal(0, run.Target.ForwardedFor("late") + run.Target.Canceled);
        Assert.Equal((2, 0), run.Outcomes);
    }

    private sealed record LateClientsRun(ReceiverStats Stats, CountingTarget Target, (double Canceled, double Forwarded) Outcomes);

    /// <summary>A whole Connect Push request, with no Connect-Timeout-Ms, of one series from service "late".</summary>
    private static byte[] PushRequestBytes()
    {
        byte[] body = Push(service: "late").ToByteArray();
        string head = "POST /push.v1.PusherService/Push HTTP/1.1\r\nHost: r\r\nContent-Type: application/proto\r\n"
            + $"Connect-Protocol-Version: 1\r\nContent-Length: {body.Length}\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. body];
    }

    /// <summary>
    /// A receiver with one slot, held by a keep-alive connection, and late clients (<see cref="LateClients"/> whole
    /// Pushes unless <paramref name="requests"/> says otherwise) that connect into the backlog, send their request and
    /// hang up. When the holder leaves, the backlog is accepted one connection at a time, and <paramref name="handled"/>
    /// of the requests reach the handler. Each connection must then close, or the next one would never be accepted; and
    /// once all have, a new client must find the slot free.
    /// </summary>
    private static async Task<LateClientsRun> LateClientsAsync(HungUpClientRace race, IDistribution? handlerTime = null,
        byte[][]? requests = null, int handled = LateClients)
    {
        requests ??= [.. Enumerable.Repeat(PushRequestBytes(), LateClients)];
        await Warmup.EnsureAsync();
        var context = new LiveContext();
        await using var receiver = await LiveReceiver.StartAsync(new ReceiverSpec
        {
            Name = "r",
            Http = new ReceiveHttpOptions { ListenPort = 0, ConnLimit = 1 },
            HandlerTime = handlerTime,
        }, context, race);
        var target = new CountingTarget();
        receiver.ForwardTo([target]);
        string url = receiver.BaseUri.ToString();

        // The holder's idle keep-alive connection keeps the only slot.
        var holder = new LiveWriter("holder", WriteTo(url), context);
        Assert.True((await holder.PushAsync(Push(service: "holder"), Agent())).Succeeded);

        // Each late client connects (the kernel completes the handshake into the backlog), writes its whole request,
        // and gives up: it closes, and its FIN queues behind the request.
        foreach (byte[] request in requests)
        {
            using var late = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await late.ConnectAsync(receiver.EndPoint);
            await late.SendAsync(request);
            late.Shutdown(SocketShutdown.Send);
        }
        await Eventually(() => receiver.AcceptBacklog == requests.Length, TimeSpan.FromSeconds(2), "the late clients in the backlog");
        Assert.Equal(0, receiver.Stats().RequestsAfterHangUp);

        // The slot frees: the backlog is accepted one connection at a time, each request read after its client left.
        await holder.DisposeAsync();
        await Eventually(() => receiver.Stats().ConnectionsAccepted == 1 + requests.Length && receiver.AcceptedConnections == 0,
            TimeSpan.FromSeconds(5), "every late connection accepted and closed");

        // No slot was leaked: a new client is accepted and answered.
        await using (var next = new LiveWriter("next", WriteTo(url), context))
            Assert.True((await next.PushAsync(Push(service: "next"), Agent())).Succeeded);
        Assert.Equal(1, target.ForwardedFor("holder"));
        Assert.Equal(1, target.ForwardedFor("next"));

        var stats = receiver.Stats();
        Assert.Equal(2 + requests.Length, stats.ConnectionsAccepted);
        Assert.Equal(handled, stats.RequestsAfterHangUp);
        var samples = context.Metrics.Snapshot(Core.Time.Instant.Zero);
        double Outcome(string outcome) =>
            samples.Single(m => m.Name == MetricNames.HungUpRequests && m.Labels.Contains($"outcome=\"{outcome}\"")).Value;
        return new LateClientsRun(stats, target, (Outcome("canceled"), Outcome("forwarded")));
    }

    /// <summary>Counts forwards made under a live context, by service, and those whose context was already canceled.</summary>
    private sealed class CountingTarget : IProfilesTarget
    {
        private readonly Dictionary<string, int> forwarded = [];
        private int canceled;

        public string Name => "counting";

        public int Canceled => Volatile.Read(ref canceled);

        public int ForwardedFor(string service)
        {
            lock (forwarded) return forwarded.GetValueOrDefault(service);
        }

        public Task<WriteResult> AppendAsync(RawProfileSeries series, PushContext context, CancellationToken cancellationToken)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref canceled);
                return Task.FromResult(WriteResult.Success);
            }
            string service = series.Labels.FirstOrDefault(l => l.Name == "service_name")?.Value ?? "";
            lock (forwarded) forwarded[service] = forwarded.GetValueOrDefault(service) + 1;
            return Task.FromResult(WriteResult.Success);
        }

        public Task<WriteResult> AppendIngestAsync(IngestRequest request, PushContext context, CancellationToken cancellationToken) =>
            AppendAsync(new RawProfileSeries(), context, cancellationToken);
    }
}
