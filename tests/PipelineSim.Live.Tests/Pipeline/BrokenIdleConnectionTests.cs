using PipelineSim.Spec;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Proxy;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Live.Time;
using PipelineSim.Live.Writer;
using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Pipeline;

/// <summary>
/// A writer's pooled connection breaks while idle in a middlebox (the fault proxy) in front of a backend. Time is a
/// <see cref="ManualTimeProvider"/>: the test moves it past the middlebox's idle timeout and to the attempt deadline, so
/// every latency in the records is the rule's.
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public class BrokenIdleConnectionTests
{
    private readonly ManualTimeProvider time = new();
    private readonly RecordingSink records = new();
    private readonly LiveContext context;
    private readonly ClockDriver clock;

    public BrokenIdleConnectionTests()
    {
        context = new LiveContext(new LiveClock(1.0, time), records);
        clock = new ClockDriver(time);
    }

    /// <summary>
    /// One push, then <paramref name="betweenPushes"/>, then a second push whose first attempt meets the broken
    /// connection: it hangs to its deadline (<paramref name="hangs"/>) or fails at once, and the writer retries after
    /// its backoff (20 to 40 ms).
    /// </summary>
    private async Task<PushRecord> PushTwiceAcross(FaultProxyOptions proxyOptions, Action<FaultProxy> betweenPushes, bool hangs)
    {
        await Warmup.EnsureAsync();
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope"), context);
        await using var proxy = FaultProxy.Start("w2->pyroscope", proxyOptions, backend.EndPoint, context);
        await using var writer = new LiveWriter("w2", WriteTo(proxy.BaseUri.ToString(), remoteTimeout: Deadline, maxRetries: 3), context);

        Assert.True((await writer.PushAsync(Push(), Agent())).Succeeded);
        betweenPushes(proxy);
        var second = await PushPastOneBrokenAttempt(writer, proxy, hangs);
        Assert.True(second.Succeeded, second.Error);
        return records.Pushes.Last();
    }

    private static readonly TimeSpan Deadline = Ms(700);

    /// <summary>A push whose first attempt meets the broken flow; the retry's new connection reaches a backend answering in <paramref name="service"/>.</summary>
    private async Task<WriteResult> PushPastOneBrokenAttempt(LiveWriter writer, FaultProxy proxy, bool hangs, TimeSpan service = default)
    {
        var start = clock.Now;
        int attempts = records.Attempts.Count;
        var pushing = writer.PushAsync(Push(), Agent());
        if (hangs)
        {
            await clock.Until(() => proxy.BytesDropped > 0 && time.HasTimerAt(start + Deadline), "the request lost on the dead flow");
            await clock.AdvanceTo(start + Deadline);
        }
        await clock.Until(() => records.Attempts.Count == attempts + 1 && time.NextDue is TimeSpan due && due <= clock.Now + Ms(40),
            "the failed attempt recorded and the writer sleeping its backoff");
        var retry = await clock.AdvanceToNextTimer();
        if (service > TimeSpan.Zero)
        {
            await clock.Until(() => time.HasTimerAt(retry + service), "the retry at the backend");
            await clock.AdvanceTo(retry + service);
        }
        return await pushing.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_silently_dropped_idle_connection_costs_one_timed_out_attempt_then_a_new_connection_delivers()
    {
        var push = await PushTwiceAcross(new FaultProxyOptions { IdleTimeout = Ms(250), Mode = FlowBreak.Silent },
            _ => time.Advance(Ms(400)), hangs: true);

        var first = records.Attempts.First();
        var attempts = records.AttemptsOf(push.PushId);
        Assert.Equal(2, push.Attempts);
        Assert.Equal(2, attempts.Count);

        // The pool handed out the dead connection (LIFO reuse); the request hung until the attempt deadline.
        Assert.Equal((true, first.ConnectionId, ConnectCode.DeadlineExceeded), (attempts[0].Reused, attempts[0].ConnectionId, attempts[0].Code));
        Assert.Equal(Deadline, attempts[0].Latency);
        Assert.Equal(Ms(400), attempts[0].IdleBefore);
        // The connection was discarded, so the retry dialled a new one.
        Assert.False(attempts[1].Reused);
        Assert.NotEqual(first.ConnectionId, attempts[1].ConnectionId);
        Assert.Equal(ConnectCode.Ok, attempts[1].Code);
    }

    [Fact]
    public async Task A_reset_on_next_use_fails_the_attempt_at_once_with_unavailable()
    {
        var push = await PushTwiceAcross(new FaultProxyOptions { IdleTimeout = Ms(250), Mode = FlowBreak.Reset },
            _ => time.Advance(Ms(400)), hangs: false);

        var attempts = records.AttemptsOf(push.PushId);
        Assert.Equal(2, attempts.Count);
        Assert.Equal((true, ConnectCode.Unavailable), (attempts[0].Reused, attempts[0].Code));
        Assert.Equal(TimeSpan.Zero, attempts[0].Latency); // a reset is immediate: no time passed
        Assert.False(attempts[1].Reused);
    }

    [Fact]
    public async Task A_flow_idle_a_tick_short_of_the_middlebox_timeout_still_carries_the_next_request()
    {
        await Warmup.EnsureAsync();
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope"), context);
        await using var proxy = FaultProxy.Start("link", new FaultProxyOptions { IdleTimeout = Ms(250), Mode = FlowBreak.Silent }, backend.EndPoint, context);
        await using var writer = new LiveWriter("w", WriteTo(proxy.BaseUri.ToString(), remoteTimeout: Deadline), context);

        Assert.True((await writer.PushAsync(Push(), Agent())).Succeeded);
        time.Advance(Ms(250) - TimeSpan.FromTicks(1));
        Assert.True((await writer.PushAsync(Push(), Agent())).Succeeded);

        var second = records.Attempts.Last();
        Assert.Equal((true, ConnectCode.Ok, TimeSpan.Zero), (second.Reused, second.Code, second.Latency));
        Assert.Equal(0, proxy.FlowsBroken);
    }

    [Fact]
    public async Task Breaking_every_flow_on_command_hangs_the_next_request_on_each_pooled_connection()
    {
        var push = await PushTwiceAcross(new FaultProxyOptions(), proxy => Assert.Equal(1, proxy.BreakAllFlows()), hangs: true);

        var attempts = records.AttemptsOf(push.PushId);
        Assert.Equal((2, ConnectCode.DeadlineExceeded, true), (attempts.Count, attempts[0].Code, attempts[0].Reused));
        Assert.Equal(Deadline, attempts[0].Latency);
        Assert.Equal(ConnectCode.Ok, attempts[1].Code);
    }

    [Fact]
    public async Task Dropping_idle_flows_spares_a_connection_with_a_request_in_flight()
    {
        await Warmup.EnsureAsync();
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope", 0.4), context);
        await using var proxy = FaultProxy.Start("link", new FaultProxyOptions(), backend.EndPoint, context);
        await using var busy = new LiveWriter("busy", WriteTo(proxy.BaseUri.ToString(), remoteTimeout: Ms(3000)), context);
        await using var idle = new LiveWriter("idle", WriteTo(proxy.BaseUri.ToString(), remoteTimeout: Deadline, maxRetries: 2), context);
        var first = idle.PushAsync(Push(), Agent());
        await clock.Until(() => time.HasTimerAt(Ms(400)), "the idle writer's first push at the backend");
        await clock.AdvanceTo(Ms(400));
        Assert.True((await first).Succeeded);

        var inFlight = busy.PushAsync(Push(), Agent());
        await clock.Until(() => time.HasTimerAt(Ms(800)), "the busy writer's request at the backend");
        Assert.Equal(1, proxy.BreakIdleFlows());
        await clock.AdvanceTo(Ms(800));
        Assert.True((await inFlight).Succeeded, "the request in flight was not touched");

        Assert.True((await PushPastOneBrokenAttempt(idle, proxy, hangs: true, service: Ms(400))).Succeeded);
        var attempts = records.AttemptsOf(records.Pushes.Last(p => p.Writer == "idle").PushId);
        Assert.Equal((2, ConnectCode.DeadlineExceeded, true), (attempts.Count, attempts[0].Code, attempts[0].Reused));
    }

    [Fact]
    public async Task Latency_is_added_in_both_directions()
    {
        await Warmup.EnsureAsync();
        var latency = Ms(100);
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope"), context);
        await using var proxy = FaultProxy.Start("link", new FaultProxyOptions { Latency = latency }, backend.EndPoint, context);
        await using var writer = new LiveWriter("w", WriteTo(proxy.BaseUri.ToString()), context);

        // The first push carries each direction's bytes once: how much the proxy holds when a whole request (or answer) is in.
        await PushAcross(writer, proxy, latency, requestBytes: null, answerBytes: null);
        var flow = Assert.Single(proxy.Flows());
        await PushAcross(writer, proxy, latency, flow.BytesToUpstream, flow.BytesToClient);

        // On the reused connection: request one way, response the other.
        var second = records.AttemptsOf(records.Pushes[1].PushId).Single();
        Assert.True(second.Reused, "the second push reuses the pooled connection");
        Assert.Equal(2 * latency, second.Latency);
    }

    /// <summary>
    /// Pushes through a proxy that delays each direction by <paramref name="latency"/>, moving the clock once the proxy
    /// holds the whole request, then the whole answer (when their sizes are known), so each crosses in one delay. A
    /// later request is never shorter than the first (the writer's instant in its deadline-anchor header only grows).
    /// </summary>
    private async Task PushAcross(LiveWriter writer, FaultProxy proxy, TimeSpan latency, long? requestBytes, long? answerBytes)
    {
        var pushing = writer.PushAsync(Push(), Agent());
        foreach (long? bytes in new[] { requestBytes, answerBytes })
        {
            var due = clock.Now + latency;
            await clock.Until(() => time.HasTimerAt(due) && (bytes is null || proxy.BufferedBytes >= bytes), $"{bytes} bytes held in the proxy (holds {proxy.BufferedBytes})");
            await clock.AdvanceTo(due);
        }
        Assert.True((await pushing.WaitAsync(TimeSpan.FromSeconds(10))).Succeeded);
    }
}
