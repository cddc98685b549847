using PipelineSim.Spec;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Kernel;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Proxy;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Live.Writer;
using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Pipeline;

/// <summary>A writer's pooled connection breaks while idle in a middlebox (the fault proxy) in front of a backend.</summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public class BrokenIdleConnectionTests
{
    private static async Task<(RecordingSink Records, PushRecord Second)> PushTwiceAcross(FaultProxyOptions proxyOptions,
        Func<FaultProxy, Task> betweenPushes)
    {
        await Warmup.EnsureAsync();
        var records = new RecordingSink();
        var context = new LiveContext(sink: records);
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope"), context);
        await using var proxy = FaultProxy.Start("w2->pyroscope", proxyOptions, backend.EndPoint, context);
        await using var writer = new LiveWriter("w2", WriteTo(proxy.BaseUri.ToString(), remoteTimeout: Ms(700), maxRetries: 3), context);

        Assert.True((await writer.PushAsync(Push(), Agent())).Succeeded);
        await betweenPushes(proxy);
        var second = await writer.PushAsync(Push(), Agent());
        Assert.True(second.Succeeded, second.Error);
        return (records, records.Pushes.Last());
    }

    [Fact]
    public async Task A_silently_dropped_idle_connection_costs_one_timed_out_attempt_then_a_new_connection_delivers()
    {
        var (records, push) = await PushTwiceAcross(new FaultProxyOptions { IdleTimeout = Ms(250), Mode = FlowBreak.Silent },
            _ => Task.Delay(Ms(400)));

        var first = records.Attempts.First();
        var attempts = records.AttemptsOf(push.PushId);
        Assert.Equal(2, push.Attempts);
        Assert.Equal(2, attempts.Count);

        // The pool handed out the dead connection (LIFO reuse); the request hung until the attempt deadline.
        Assert.Equal((true, first.ConnectionId, ConnectCode.DeadlineExceeded), (attempts[0].Reused, attempts[0].ConnectionId, attempts[0].Code));
        Assert.InRange(attempts[0].Latency, Ms(690), Ms(1000));
        Assert.InRange(attempts[0].IdleBefore, Ms(350), Ms(1000));
        // The connection was discarded, so the retry dialled a new one.
        Assert.False(attempts[1].Reused);
        Assert.NotEqual(first.ConnectionId, attempts[1].ConnectionId);
        Assert.Equal(ConnectCode.Ok, attempts[1].Code);
    }

    [Fact]
    public async Task A_reset_on_next_use_fails_the_attempt_at_once_with_unavailable()
    {
        var (records, push) = await PushTwiceAcross(new FaultProxyOptions { IdleTimeout = Ms(250), Mode = FlowBreak.Reset },
            _ => Task.Delay(Ms(400)));

        var attempts = records.AttemptsOf(push.PushId);
        Assert.Equal(2, attempts.Count);
        Assert.Equal((true, ConnectCode.Unavailable), (attempts[0].Reused, attempts[0].Code));
        Assert.True(attempts[0].Latency < Ms(300), $"a reset is immediate, took {attempts[0].Latency}");
        Assert.False(attempts[1].Reused);
    }

    [Fact]
    public async Task Breaking_every_flow_on_command_hangs_the_next_request_on_each_pooled_connection()
    {
        var (records, push) = await PushTwiceAcross(new FaultProxyOptions(), proxy =>
        {
            Assert.Equal(1, proxy.BreakAllFlows());
            return Task.CompletedTask;
        });

        var attempts = records.AttemptsOf(push.PushId);
        Assert.Equal((2, ConnectCode.DeadlineExceeded, true), (attempts.Count, attempts[0].Code, attempts[0].Reused));
        Assert.Equal(ConnectCode.Ok, attempts[1].Code);
    }

    [Fact]
    public async Task Dropping_idle_flows_spares_a_connection_with_a_request_in_flight()
    {
        await Warmup.EnsureAsync();
        var records = new RecordingSink();
        var context = new LiveContext(sink: records);
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope", 0.4), context);
        await using var proxy = FaultProxy.Start("link", new FaultProxyOptions(), backend.EndPoint, context);
        await using var busy = new LiveWriter("busy", WriteTo(proxy.BaseUri.ToString(), remoteTimeout: Ms(3000)), context);
        await using var idle = new LiveWriter("idle", WriteTo(proxy.BaseUri.ToString(), remoteTimeout: Ms(900), maxRetries: 2), context);
        Assert.True((await idle.PushAsync(Push(), Agent())).Succeeded);

        var inFlight = busy.PushAsync(Push(), Agent());
        await Eventually(() => backend.Requests == 2, Ms(2000), "the busy writer's request at the backend");
        Assert.Equal(1, proxy.BreakIdleFlows());
        Assert.True((await inFlight).Succeeded, "the request in flight was not touched");

        Assert.True((await idle.PushAsync(Push(), Agent())).Succeeded);
        var attempts = records.AttemptsOf(records.Pushes.Last(p => p.Writer == "idle").PushId);
        Assert.Equal((2, ConnectCode.DeadlineExceeded, true), (attempts.Count, attempts[0].Code, attempts[0].Reused));
    }

    [Fact]
    public async Task Latency_is_added_in_both_directions()
    {
        await Warmup.EnsureAsync();
        var records = new RecordingSink();
        var context = new LiveContext(sink: records);
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope"), context);
        await using var proxy = FaultProxy.Start("link", new FaultProxyOptions { Latency = Ms(100) }, backend.EndPoint, context);
        await using var writer = new LiveWriter("w", WriteTo(proxy.BaseUri.ToString()), context);
        Assert.True((await writer.PushAsync(Push(), Agent())).Succeeded);
        Assert.True((await writer.PushAsync(Push(), Agent())).Succeeded);

        // On the reused connection: request one way, response the other (the upper bound allows for a busy machine).
        var second = records.AttemptsOf(records.Pushes[1].PushId).Single();
        Assert.True(second.Reused, "the second push reuses the pooled connection");
        Assert.InRange(second.Latency, Ms(200), Ms(800));
    }
}
