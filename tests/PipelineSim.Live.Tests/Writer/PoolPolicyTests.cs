using System.Net.Http;
using Microsoft.AspNetCore.Http;
using PipelineSim.Core.Options;
using PipelineSim.Core.Pooling;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Hosting;
using PipelineSim.Live.Time;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Live.Writer;
using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Writer;

/// <summary>
/// The live writer's idle pool follows Core's <see cref="IdleConnectionPool{TConn}"/>, as the simulator's does: Core
/// decides which idle connections are closed (IdleConnTimeout, MaxIdleConnsPerHost) on the run's clock, here a manual
/// one, and SocketsHttpHandler, which keeps the connections, picks the one to reuse. These check both halves over real
/// sockets: .NET picks the most recently returned connection, as Core's LIFO does, and what Core closes is not reused.
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public sealed class PoolPolicyTests : IAsyncLifetime
{
    private readonly ManualTimeProvider time = new();
    private readonly RecordingSink records = new();
    private KestrelHost server = null!;

    /// <summary>Answers with the client's port (which identifies the connection) after <c>?ms=</c> milliseconds of the manual clock.</summary>
    public async Task InitializeAsync() =>
        server = await KestrelHost.StartAsync(new KestrelHostSpec(AnyLoopbackPort), async http =>
        {
            int ms = int.Parse(http.Request.Query["ms"].FirstOrDefault() ?? "0");
            if (ms > 0) await Task.Delay(TimeSpan.FromMilliseconds(ms), time);
            await http.Response.WriteAsync(http.Connection.RemotePort.ToString());
        });

    public async Task DisposeAsync() => await server.DisposeAsync();

    private async Task<int> Get(HttpClient client, int delayMs) =>
        int.Parse(await client.GetStringAsync(new Uri(server.BaseUri, $"/?ms={delayMs}")));

    [Fact]
    public async Task The_most_recently_returned_connection_is_reused_first()
    {
        await Warmup.EnsureAsync();
        var clock = new LiveClock(1.0, time);
        var transport = HttpTransportOptions.AlloyDefault;
        using var client = AlloyHttpClient.Create(transport, new ConnectionTracker(transport, clock), clock);
        // Three at once open three connections; they come back to the pool in the order their answers end.
        int[] due = [100, 400, 700];
        var answers = due.Select(ms => Get(client, ms)).ToArray();
        await Eventually(() => due.All(ms => time.HasTimerAt(Ms(ms))), TimeSpan.FromSeconds(10), "all three requests at the server");
        foreach (var (answer, at) in answers.Zip(due))
        {
            time.Advance(Ms(at) - time.Elapsed);
            await answer.WaitAsync(TimeSpan.FromSeconds(10));
        }
        var ports = answers.Select(a => a.Result).ToArray();
        var next = await Get(client, 0);

        var pool = new IdleConnectionPool<int>(transport.MaxIdleConnsPerHost, transport.IdleConnTimeout);
        for (int i = 0; i < ports.Length; i++) pool.Return(ports[i], Instant.FromSeconds(i));
        Assert.True(pool.TryTake(Instant.FromSeconds(3), out int expected, out _));

        Assert.Equal(3, ports.Distinct().Count());
        Assert.Equal(ports[2], expected); // Core: LIFO
        Assert.Equal(expected, next); // .NET agrees
    }

    /// <summary>A writer with one endpoint on a backend stub, both on the manual clock; attempts go to <see cref="records"/>.</summary>
    private async Task<(LiveWriter Writer, BackendStub Backend)> Writer(HttpTransportOptions transport, double latencySeconds = 0)
    {
        await Warmup.EnsureAsync();
        var context = new LiveContext(new LiveClock(1.0, time), records);
        var backend = await BackendStub.StartAsync(StubBackend("pyroscope", latencySeconds), context);
        var options = WriteTo(backend.BaseUri.ToString());
        options = options with { Endpoints = [options.Endpoints[0] with { Transport = transport }] };
        return (new LiveWriter("w", options, context), backend);
    }

    /// <summary>Pushes at <paramref name="at"/> and moves the clock on by the backend's <paramref name="latency"/> to its answer.</summary>
    private async Task<AttemptRecord> PushAt(LiveWriter writer, TimeSpan at, TimeSpan latency = default)
    {
        time.Advance(at - time.Elapsed);
        var pushing = writer.PushAsync(Push(), Agent());
        if (latency > TimeSpan.Zero)
        {
            await Eventually(() => time.HasTimerAt(at + latency), TimeSpan.FromSeconds(10), "the push at the backend");
            time.Advance(latency);
        }
        var result = await pushing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(result.Succeeded, result.Error);
        return records.Attempts[^1];
    }

    [Fact]
    public async Task A_connection_is_closed_at_its_idle_timeout_and_reused_a_tick_before_it()
    {
        var idleTimeout = TimeSpan.FromSeconds(90);
        var (writer, backend) = await Writer(HttpTransportOptions.AlloyDefault with { IdleConnTimeout = idleTimeout });
        await using var stub = backend;
        await using var w = writer;

        var first = await PushAt(writer, TimeSpan.Zero);
        var soon = await PushAt(writer, idleTimeout - TimeSpan.FromTicks(1)); // idle one tick short of the timeout
        time.Advance(soon.End.SinceStart + idleTimeout - time.Elapsed); // its idle timer, exactly at the timeout
        await Eventually(() => writer.OpenConnections == 0, TimeSpan.FromSeconds(10), "the idle connection closed");
        var late = await PushAt(writer, time.Elapsed);

        // Core's table for the same returns and takes.
        var pool = new IdleConnectionPool<long>(HttpTransportOptions.AlloyDefault.MaxIdleConnsPerHost, idleTimeout);
        pool.Return(first.ConnectionId, first.End);
        Assert.True(pool.TryTake(soon.Start, out _, out _));
        pool.Return(first.ConnectionId, soon.End);
        Assert.False(pool.TryTake(soon.End + idleTimeout, out _, out _));

        Assert.Equal((first.ConnectionId, true), (soon.ConnectionId, soon.Reused));
        Assert.Equal(idleTimeout - TimeSpan.FromTicks(1), soon.IdleBefore);
        Assert.False(late.Reused);
        Assert.NotEqual(first.ConnectionId, late.ConnectionId);
    }

    [Fact]
    public async Task A_connection_returned_to_a_pool_holding_max_idle_conns_per_host_is_closed()
    {
        var (writer, backend) = await Writer(HttpTransportOptions.AlloyDefault with { MaxIdleConnsPerHost = 1 }, latencySeconds: 0.1);
        await using var stub = backend;
        await using var w = writer;

        // Two pushes at once ride two connections; both come back at 100 ms, into a pool that keeps one.
        var pushes = new[] { writer.PushAsync(Push(), Agent("a")), writer.PushAsync(Push(), Agent("b")) };
        await Eventually(() => time.TimersAt(Ms(100)) == 2, TimeSpan.FromSeconds(10), "both pushes at the backend");
        time.Advance(Ms(100));
        await Task.WhenAll(pushes).WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually(() => writer.OpenConnections == 1, TimeSpan.FromSeconds(10), "the second connection returned closed");
        var kept = await PushAt(writer, Ms(200), latency: Ms(100));

        var pool = new IdleConnectionPool<long>(1, HttpTransportOptions.AlloyDefault.IdleConnTimeout);
        Assert.True(pool.Return(1, Instant.FromSeconds(0.1)));
        Assert.False(pool.Return(2, Instant.FromSeconds(0.1))); // Core: a full pool refuses it; the driver closes it

        var both = records.Attempts.Take(2).Select(a => a.ConnectionId).ToList();
        Assert.Equal(2, both.Distinct().Count());
        Assert.True(kept.Reused);
        Assert.Contains(kept.ConnectionId, both);
    }
}
