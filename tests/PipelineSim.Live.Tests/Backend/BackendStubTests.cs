using PipelineSim.Spec;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Live.Time;
using PipelineSim.Live.Writer;
using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Backend;

/// <summary>
/// The live backend stub end to end: a real writer pushing over loopback. Which request an outage, the token bucket,
/// the serving slots or the queue admit is Core's <c>BackendAdmission</c>, table-tested at its boundaries in
/// BackendAdmissionTests; here time is a <see cref="ManualTimeProvider"/>, so the stub meets those boundaries at the
/// instants the test moves to, whatever the machine's load. (The write deadline is BackendWriteTimeoutTableTests'.)
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public class BackendStubTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    /// <summary>A context on a clock that stands still until the test advances it.</summary>
    private static LiveContext OnManualTime(ManualTimeProvider time, RecordingSink? records = null) =>
        new(new LiveClock(1.0, time), records);

    /// <summary>Sends <paramref name="count"/> pushes one after another and returns the indexes the backend failed.</summary>
    private static async Task<List<long>> FailedIndexes(ulong seed, int count)
    {
        var context = new LiveContext(seed: seed);
        var failed = new List<long>();
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope") with
        {
            Errors = [new ErrorRateSpec(ConnectCode.Unavailable, 0.2), new ErrorRateSpec(ConnectCode.ResourceExhausted, 0.1)],
        }, context);
        backend.RequestCompleted += r =>
        {
            if (r.Code != ConnectCode.Ok) lock (failed) failed.Add(r.Index);
        };
        await using var writer = new LiveWriter("w", WriteTo(backend.BaseUri.ToString()), context);
        for (int i = 0; i < count; i++) await writer.PushAsync(Push(), Agent());
        return failed;
    }

    [Fact]
    public async Task The_seed_decides_which_requests_fail()
    {
        var first = await FailedIndexes(seed: 7, count: 60);
        var again = await FailedIndexes(seed: 7, count: 60);
        var other = await FailedIndexes(seed: 8, count: 60);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.InRange(first.Count, 8, 32); // 30 % of 60, give or take
    }

    [Fact]
    public async Task Errors_come_back_as_the_configured_Connect_codes()
    {
        var records = new RecordingSink();
        var context = new LiveContext(sink: records);
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope") with
        {
            Errors = [new ErrorRateSpec(ConnectCode.ResourceExhausted, 1.0)],
        }, context);
        var options = WriteTo(backend.BaseUri.ToString(), maxRetries: 2);
        options = options with { Endpoints = [options.Endpoints[0] with { RetryOnHttp429 = false }] };
        await using var writer = new LiveWriter("w", options, context);
        var result = await writer.PushAsync(Push(), Agent());
        // 429 resource_exhausted with retry_on_http_429 off: no retry.
        Assert.Equal(ConnectCode.ResourceExhausted, Assert.Single(result.Failures).LastError.Code);
        Assert.Equal(1, Assert.Single(records.Pushes).Attempts);
    }

    [Fact]
    public async Task An_outage_window_refuses_up_to_one_tick_before_its_end_and_serves_from_its_end()
    {
        var time = new ManualTimeProvider();
        var context = OnManualTime(time);
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope") with
        {
            Outages = [new OutageSpec(TimeSpan.Zero, 10 * Second)],
        }, context);
        await using var writer = new LiveWriter("w", WriteTo(backend.BaseUri.ToString()), context);

        var atStart = await writer.PushAsync(Push(), Agent());
        time.Advance(10 * Second - TimeSpan.FromTicks(1));
        var oneTickBefore = await writer.PushAsync(Push(), Agent());
        time.Advance(TimeSpan.FromTicks(1));
        var atEnd = await writer.PushAsync(Push(), Agent());

        Assert.Equal(ConnectCode.Unavailable, Assert.Single(atStart.Failures).LastError.Code);
        Assert.Equal(ConnectCode.Unavailable, Assert.Single(oneTickBefore.Failures).LastError.Code);
        Assert.True(atEnd.Succeeded, atEnd.Error);
        Assert.Equal((2L, 1L), (backend.Rejected, backend.Ingested));
    }

    [Fact]
    public async Task Concurrency_queues_requests_beyond_it_and_serves_them_in_turn()
    {
        await Warmup.EnsureAsync();
        var time = new ManualTimeProvider();
        var records = new RecordingSink();
        var context = OnManualTime(time, records);
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope", latencySeconds: 1) with { Concurrency = 1 }, context);
        var writers = Enumerable.Range(0, 3).Select(i => new LiveWriter($"w{i}", WriteTo(backend.BaseUri.ToString()), context)).ToList();
        var pushes = writers.Select(w => w.PushAsync(Push(), Agent())).ToList();

        await Eventually(() => (backend.Serving, backend.Queued) == (1, 2), TimeSpan.FromSeconds(10), "one served, two queued");
        for (int k = 1; k <= 3; k++)
        {
            // Each request starts its service when the one before it ends: exactly a second later.
            await Eventually(() => time.HasTimerAt(k * Second), TimeSpan.FromSeconds(10), $"service ending at {k} s");
            time.Advance(Second);
            // The writer reads the clock when its answer arrives: let it arrive before time moves on, or the push
            // would end at a later second than its service did.
            int done = k;
            await Eventually(() => pushes.Count(p => p.IsCompleted) >= done, TimeSpan.FromSeconds(10), $"{k} pushes answered");
        }
        await Task.WhenAll(pushes);
        foreach (var w in writers) await w.DisposeAsync();

        Assert.All(records.Pushes, p => Assert.Equal(PushResult.Delivered, p.Result));
        Assert.Equal([Second, 2 * Second, 3 * Second], records.Pushes.Select(p => p.Latency).Order());
    }

    [Fact]
    public async Task A_full_queue_answers_at_once_with_the_queue_full_code()
    {
        await Warmup.EnsureAsync();
        var time = new ManualTimeProvider();
        var context = OnManualTime(time);
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope", latencySeconds: 1) with
        {
            Concurrency = 1,
            QueueCapacity = 0,
            QueueFullCode = ConnectCode.ResourceExhausted,
        }, context);
        await using var first = new LiveWriter("a", WriteTo(backend.BaseUri.ToString()), context);
        await using var second = new LiveWriter("b", WriteTo(backend.BaseUri.ToString()), context);
        var served = first.PushAsync(Push(), Agent());
        await Eventually(() => backend.Serving == 1, TimeSpan.FromSeconds(10), "the first request served");

        // The clock stands still: the refusal cannot have waited for the slot.
        var refused = await second.PushAsync(Push(), Agent());
        Assert.Equal(ConnectCode.ResourceExhausted, Assert.Single(refused.Failures).LastError.Code);
        Assert.False(served.IsCompleted);

        await Eventually(() => time.HasTimerAt(Second), TimeSpan.FromSeconds(10), "the first request's service time");
        time.Advance(Second);
        Assert.True((await served).Succeeded);
        Assert.Equal((2, 1, 1), (backend.Requests, backend.Ingested, backend.Rejected));
    }

    [Fact]
    public async Task A_hanging_outage_answers_nothing_until_the_client_gives_up()
    {
        await Warmup.EnsureAsync();
        var time = new ManualTimeProvider();
        var records = new RecordingSink();
        var context = OnManualTime(time, records);
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope") with
        {
            Outages = [new OutageSpec(TimeSpan.Zero, TimeSpan.FromMinutes(1), OutageMode.Hang)],
        }, context);
        await using var writer = new LiveWriter("w", WriteTo(backend.BaseUri.ToString(), remoteTimeout: Ms(400)), context);
        var pushing = writer.PushAsync(Push(), Agent());
        await Eventually(() => backend.Requests == 1, TimeSpan.FromSeconds(10), "the request at the backend");

        time.Advance(Ms(400) - TimeSpan.FromTicks(1));
        await Task.Delay(Ms(50)); // an answer, had the backend sent one, has time to arrive
        Assert.False(pushing.IsCompleted, "a hanging backend answers nothing");
        time.Advance(TimeSpan.FromTicks(1));
        var result = await pushing;

        Assert.Equal(ConnectCode.DeadlineExceeded, Assert.Single(result.Failures).LastError.Code);
        Assert.Equal(Ms(400), Assert.Single(records.Attempts).Latency);
        Assert.Equal((0L, 0L), (backend.Ingested, backend.Rejected));
    }

    [Fact]
    public async Task The_rate_limit_answers_resource_exhausted_until_the_bucket_has_refilled_a_token()
    {
        var time = new ManualTimeProvider();
        var context = OnManualTime(time);
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope") with
        {
            RateLimit = new RateLimitSpec(Rate: 0.5, Burst: 2),
        }, context);
        await using var writer = new LiveWriter("w", WriteTo(backend.BaseUri.ToString()), context);
        var results = new List<WriteResult>();
        for (int i = 0; i < 3; i++) results.Add(await writer.PushAsync(Push(), Agent()));
        time.Advance(2 * Second - TimeSpan.FromTicks(1)); // half a token a second: one token takes 2 s
        results.Add(await writer.PushAsync(Push(), Agent()));
        time.Advance(TimeSpan.FromTicks(1));
        results.Add(await writer.PushAsync(Push(), Agent()));

        Assert.Equal([true, true, false, false, true], results.Select(r => r.Succeeded));
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(ConnectCode.ResourceExhausted, Assert.Single(r.Failures).LastError.Code));
        Assert.Equal(2, backend.Rejected);
    }

    [Fact]
    public async Task A_request_that_gave_up_while_queued_leaves_the_queue_and_frees_its_place()
    {
        await Warmup.EnsureAsync();
        var time = new ManualTimeProvider();
        var context = OnManualTime(time);
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope", 4.0) with { Concurrency = 1, QueueCapacity = 1 }, context);
        await using var serving = new LiveWriter("a", WriteTo(backend.BaseUri.ToString(), remoteTimeout: Ms(8000)), context);
        await using var impatient = new LiveWriter("b", WriteTo(backend.BaseUri.ToString(), remoteTimeout: Ms(300)), context);
        var served = serving.PushAsync(Push(), Agent());
        await Eventually(() => backend.Serving == 1, TimeSpan.FromSeconds(10), "the first request served");

        var gaveUp = impatient.PushAsync(Push(), Agent());
        await Eventually(() => backend.Queued == 1, TimeSpan.FromSeconds(10), "the impatient request queued");
        time.Advance(Ms(300));
        Assert.Equal(ConnectCode.DeadlineExceeded, Assert.Single((await gaveUp).Failures).LastError.Code);
        await Eventually(() => backend.Queued == 0, TimeSpan.FromSeconds(10), "the queue emptied by the request that gave up");

        // Its place is free again: the next one waits (and gives up) instead of being answered unavailable at once.
        var next = impatient.PushAsync(Push(), Agent());
        await Eventually(() => backend.Queued == 1, TimeSpan.FromSeconds(10), "the next request queued");
        time.Advance(Ms(300));
        Assert.Equal(ConnectCode.DeadlineExceeded, Assert.Single((await next).Failures).LastError.Code);
        Assert.Equal(0, backend.Rejected);

        time.Advance(4 * Second);
        Assert.True((await served).Succeeded);
    }
}
