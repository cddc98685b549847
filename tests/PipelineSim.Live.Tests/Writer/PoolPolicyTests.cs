using System.Net.Http;
using Microsoft.AspNetCore.Http;
using PipelineSim.Core.Options;
using PipelineSim.Core.Pooling;
using PipelineSim.Core.Time;
using PipelineSim.Live.Hosting;
using PipelineSim.Live.Time;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Live.Writer;
using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Writer;

/// <summary>
/// The live writer keeps .NET's connection pool (SocketsHttpHandler); the simulator uses Core's
/// <see cref="IdleConnectionPool{TConn}"/>. These run the same sequence of requests through both and expect the same
/// connection choices, for the cases the model distinguishes that .NET also has: LIFO reuse and idle-timeout expiry.
/// (The MaxIdleConnsPerHost cap has no SocketsHttpHandler counterpart; docs/explanation/shared-rules.md says so.)
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public sealed class PoolPolicyTests : IAsyncLifetime
{
    private KestrelHost server = null!;

    /// <summary>Answers with the client's port (which identifies the connection) after <c>?ms=</c> milliseconds.</summary>
    public async Task InitializeAsync() =>
        server = await KestrelHost.StartAsync(new KestrelHostSpec(AnyLoopbackPort), async http =>
        {
            int ms = int.Parse(http.Request.Query["ms"].FirstOrDefault() ?? "0");
            if (ms > 0) await Task.Delay(ms);
            await http.Response.WriteAsync(http.Connection.RemotePort.ToString());
        });

    public async Task DisposeAsync() => await server.DisposeAsync();

    private static HttpClient Client(TimeSpan idleTimeout)
    {
        var transport = HttpTransportOptions.AlloyDefault with { IdleConnTimeout = idleTimeout };
        return AlloyHttpClient.Create(transport, new ConnectionTracker(transport.KeepAlive, LiveClock.RealTime), LiveClock.RealTime);
    }

    private async Task<int> Get(HttpClient client, int delayMs) =>
        int.Parse(await client.GetStringAsync(new Uri(server.BaseUri, $"/?ms={delayMs}")));

    [Fact]
    public async Task The_most_recently_returned_connection_is_reused_first()
    {
        await Warmup.EnsureAsync();
        using var client = Client(TimeSpan.FromMinutes(5));
        // Three at once open three connections; they come back to the pool in the order their answers end.
        var ports = await Task.WhenAll(Get(client, 100), Get(client, 400), Get(client, 700));
        var next = await Get(client, 0);

        var pool = new IdleConnectionPool<int>(HttpTransportOptions.AlloyDefault.MaxIdleConnsPerHost, TimeSpan.FromMinutes(5));
        for (int i = 0; i < ports.Length; i++) pool.Return(ports[i], Instant.FromSeconds(i));
        Assert.True(pool.TryTake(Instant.FromSeconds(3), out int expected, out _));

        Assert.Equal(3, ports.Distinct().Count());
        Assert.Equal(ports[2], expected); // Core: LIFO
        Assert.Equal(expected, next); // .NET agrees
    }

    [Fact]
    public async Task A_connection_idle_past_the_timeout_is_not_reused_and_one_within_it_is()
    {
        await Warmup.EnsureAsync();
        var idleTimeout = TimeSpan.FromSeconds(1);
        using var client = Client(idleTimeout);
        int first = await Get(client, 0);
        await Task.Delay(TimeSpan.FromSeconds(0.2));
        int soon = await Get(client, 0);
        await Task.Delay(TimeSpan.FromSeconds(2));
        int late = await Get(client, 0);

        var pool = new IdleConnectionPool<int>(HttpTransportOptions.AlloyDefault.MaxIdleConnsPerHost, idleTimeout);
        pool.Return(first, Instant.FromSeconds(0));
        Assert.True(pool.TryTake(Instant.FromSeconds(0.2), out _, out _)); // within the timeout: reused
        pool.Return(first, Instant.FromSeconds(0.2));
        Assert.False(pool.TryTake(Instant.FromSeconds(2.2), out _, out _)); // past it: gone, a new dial

        Assert.Equal(first, soon);
        Assert.NotEqual(first, late);
    }
}
