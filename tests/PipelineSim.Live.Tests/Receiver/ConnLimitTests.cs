using System.Net.Http;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Live.Metrics;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Live.Time;
using PipelineSim.Live.Writer;
using PipelineSim.Spec;
using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Receiver;

[Trait(LiveTrait.Name, LiveTrait.Value)]
public class ConnLimitTests
{
    private static ReceiverSpec Limit(int connLimit) => new() { Name = "r", Http = new ReceiveHttpOptions { ListenPort = 0, ConnLimit = connLimit } };

    private static async Task<(double Connections, double Limit)> Scrape(MetricsServer metrics)
    {
        using var http = new HttpClient();
        var (samples, types) = PrometheusTextParser.Parse(await http.GetStringAsync(metrics.MetricsUri));
        Assert.Equal("gauge", types[MetricNames.ReceiveTcpConnections]);
        var labels = new[] { ("component_id", "r"), ("protocol", "http") };
        return (PrometheusTextParser.Single(samples, MetricNames.ReceiveTcpConnections, labels).Value,
                PrometheusTextParser.Single(samples, MetricNames.ReceiveTcpConnectionsLimit, labels).Value);
    }

    [Fact]
    public async Task A_client_beyond_the_limit_is_connected_but_waits_and_fails_with_deadline_exceeded()
    {
        await Warmup.EnsureAsync();
        var time = new ManualTimeProvider();
        var records = new RecordingSink();
        var context = new LiveContext(new LiveClock(1.0, time), records);
        await using var receiver = await LiveReceiver.StartAsync(Limit(2), context);
        await using var metrics = await MetricsServer.StartAsync(context.Metrics, AnyLoopbackPort);
        string url = receiver.BaseUri.ToString();

        // Two agents push once; their idle keep-alive connections hold both slots (server idle timeout 120 s).
        await using var a = new LiveWriter("a", WriteTo(url), context);
        await using var b = new LiveWriter("b", WriteTo(url), context);
        Assert.True((await a.PushAsync(Push(), Agent("a"))).Succeeded);
        Assert.True((await b.PushAsync(Push(), Agent("b"))).Succeeded);
        await Eventually(() => receiver.AcceptedConnections == 2, TimeSpan.FromSeconds(10), "two accepted connections");

        await using var late = new LiveWriter("late", WriteTo(url, remoteTimeout: Ms(1500)), context);
        var pushing = late.PushAsync(Push(), Agent("late"));
        // While it waits, the kernel holds its connection in the accept queue; nothing accepted it. The clock stands
        // still, so it waits for as long as this takes.
        await Eventually(() => receiver.AcceptBacklog == 1, TimeSpan.FromSeconds(10), "one connection in the accept backlog");
        Assert.Equal(2, receiver.AcceptedConnections);
        Assert.Equal((2.0, 2.0), await Scrape(metrics));
        Assert.False(pushing.IsCompleted);

        time.Advance(Ms(1500));
        var result = await pushing;
        Assert.False(result.Succeeded);
        var failure = Assert.Single(result.Failures);
        Assert.Equal(ConnectCode.DeadlineExceeded, failure.LastError.Code);
        Assert.Equal($"failed to push to endpoint {url} (1 retries): deadline_exceeded: context deadline exceeded", failure.Message);
        var attempt = Assert.Single(records.Attempts, r => r.Writer == "late");
        // Not refused: the TCP connection was made and the request written, the answer never came.
        Assert.True(attempt.ConnectionId > 0);
        Assert.Equal(ConnectCode.DeadlineExceeded, attempt.Code);
        Assert.Equal(Ms(1500), attempt.Latency);
        Assert.Equal(2, receiver.PeakAcceptedConnections);
    }

    [Fact]
    public async Task A_closed_connection_hands_its_slot_to_the_next_waiting_client()
    {
        var context = new LiveContext();
        await using var receiver = await LiveReceiver.StartAsync(Limit(1), context);
        string url = receiver.BaseUri.ToString();
        var holder = new LiveWriter("holder", WriteTo(url), context);
        Assert.True((await holder.PushAsync(Push(), Agent())).Succeeded);

        await using var waiter = new LiveWriter("waiter", WriteTo(url, remoteTimeout: TimeSpan.FromSeconds(5)), context);
        var waiting = waiter.PushAsync(Push(), Agent());
        await Eventually(() => receiver.AcceptBacklog == 1, TimeSpan.FromSeconds(1), "the waiter in the backlog");
        Assert.False(waiting.IsCompleted);

        // The holder's connection closes; the LimitListener accepts the waiter into the freed slot.
        await holder.DisposeAsync();
        var result = await waiting.WaitAsync(TimeSpan.FromSeconds(4));
        Assert.True(result.Succeeded);
        Assert.Equal(1, receiver.PeakAcceptedConnections);
        Assert.Equal(2, receiver.Stats().ConnectionsAccepted);
    }

    [Fact]
    public async Task An_idle_keep_alive_connection_holds_its_slot_until_the_server_idle_timeout()
    {
        await Warmup.EnsureAsync();
        var time = new ManualTimeProvider();
        var context = new LiveContext(new LiveClock(1.0, time));
        await using var receiver = await LiveReceiver.StartAsync(new ReceiverSpec
        {
            Name = "r",
            Http = new ReceiveHttpOptions { ListenPort = 0, ConnLimit = 1, ServerIdleTimeout = TimeSpan.FromSeconds(1) },
        }, context);
        string url = receiver.BaseUri.ToString();
        await using var idle = new LiveWriter("idle", WriteTo(url), context);
        Assert.True((await idle.PushAsync(Push(), Agent())).Succeeded);

        // The idle client never closes (its pool keeps connections 5 min); the server's idle timeout, counted from
        // the answer (Core's ServerConnectionTimeouts), frees the slot: not one tick before.
        await using var waiter = new LiveWriter("waiter", WriteTo(url, remoteTimeout: TimeSpan.FromSeconds(6)), context);
        var waiting = waiter.PushAsync(Push(), Agent());
        await Eventually(() => receiver.AcceptBacklog == 1, TimeSpan.FromSeconds(10), "the waiter in the backlog");
        time.Advance(TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(1));
        await Task.Delay(Ms(100)); // a slot freed too early would let the waiter through meanwhile
        Assert.False(waiting.IsCompleted, "the idle connection still holds the slot");
        Assert.Equal(1, receiver.AcceptedConnections);

        time.Advance(TimeSpan.FromTicks(1));
        var result = await waiting;
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal((1, 2L), (receiver.PeakAcceptedConnections, receiver.Stats().ConnectionsAccepted));
    }

    [Fact]
    public async Task Under_churn_the_gauge_never_exceeds_the_limit_and_everyone_gets_through()
    {
        var records = new RecordingSink();
        var context = new LiveContext(sink: records);
        await using var receiver = await LiveReceiver.StartAsync(Limit(3), context);
        await using var metrics = await MetricsServer.StartAsync(context.Metrics, AnyLoopbackPort);
        // Each request takes a while, so connections overlap whatever the scheduler does.
        receiver.ForwardTo([new SlowTarget(Ms(40))]);
        string url = receiver.BaseUri.ToString();

        using var done = new CancellationTokenSource();
        double maxScraped = 0;
        var scraper = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                maxScraped = Math.Max(maxScraped, (await Scrape(metrics)).Connections);
                await Task.Delay(5);
            }
        });

        // Twelve clients at once, each closing its connection after its push, so slots keep changing hands.
        var clients = Enumerable.Range(0, 12).Select(async i =>
        {
            await using var writer = new LiveWriter($"c{i}", WriteTo(url, remoteTimeout: TimeSpan.FromSeconds(15)), context);
            for (int push = 0; push < 3; push++)
            {
                var result = await writer.PushAsync(Push(), Agent($"c{i}"));
                Assert.True(result.Succeeded, result.Error);
            }
        });
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(30));
        await done.CancelAsync();
        await scraper;

        Assert.Equal(3, receiver.PeakAcceptedConnections);
        Assert.InRange(maxScraped, 2, 3);
        Assert.Equal(36, records.Pushes.Count(p => p.Result == PushResult.Delivered));
        Assert.True(receiver.Stats().ConnectionsAccepted >= 12);
    }
}
