using PipelineSim.Spec;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Kernel;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Live.Writer;
using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Backend;

public class BackendStubTests
{
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
    [Trait(LiveTrait.Name, LiveTrait.Value)]
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
    [Trait(LiveTrait.Name, LiveTrait.Value)]
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
    [Trait(LiveTrait.Name, LiveTrait.Value)]
    public async Task An_outage_window_fails_everything_inside_it()
    {
        var context = new LiveContext();
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope") with
        {
            Outages = [new OutageSpec(TimeSpan.Zero, Ms(300))],
        }, context);
        await using var writer = new LiveWriter("w", WriteTo(backend.BaseUri.ToString()), context);
        var during = await writer.PushAsync(Push(), Agent());
        Assert.Equal(ConnectCode.Unavailable, Assert.Single(during.Failures).LastError.Code);
        await Task.Delay(Ms(350));
        Assert.True((await writer.PushAsync(Push(), Agent())).Succeeded);
    }

    [Fact]
    [Trait(LiveTrait.Name, LiveTrait.Value)]
    public async Task Concurrency_queues_requests_beyond_it()
    {
        await Warmup.EnsureAsync();
        var records = new RecordingSink();
        var context = new LiveContext(sink: records);
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope") with
        {
            Latency = Distributions.Constant(0.2),
            Concurrency = 1,
        }, context);
        var writers = Enumerable.Range(0, 3).Select(i => new LiveWriter($"w{i}", WriteTo(backend.BaseUri.ToString()), context)).ToList();
        await Task.WhenAll(writers.Select(w => w.PushAsync(Push(), Agent())));
        foreach (var w in writers) await w.DisposeAsync();

        // One at a time: the last of three waits for two others.
        var latencies = records.Pushes.Select(p => p.Latency).Order().ToList();
        Assert.Equal(3, latencies.Count(l => l >= Ms(190)));
        Assert.True(latencies[2] >= Ms(580), $"the third push took {latencies[2]}");
        Assert.All(records.Pushes, p => Assert.Equal(PushResult.Delivered, p.Result));
    }

    [Fact]
    [Trait(LiveTrait.Name, LiveTrait.Value)]
    public async Task A_full_queue_answers_at_once_with_the_queue_full_code()
    {
        await Warmup.EnsureAsync();
        var context = new LiveContext();
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope") with
        {
            // Long enough that the second writer's fresh connection reaches the backend while the first push is
            // still served, even on a loaded machine (0.3 s was not).
            Latency = Distributions.Constant(4.0),
            Concurrency = 1,
            QueueCapacity = 0,
            QueueFullCode = ConnectCode.ResourceExhausted,
        }, context);
        await using var first = new LiveWriter("a", WriteTo(backend.BaseUri.ToString()), context);
        await using var second = new LiveWriter("b", WriteTo(backend.BaseUri.ToString()), context);
        var served = first.PushAsync(Push(), Agent());
        await Eventually(() => backend.Requests == 1, Ms(2000), "the first request at the backend");
        var refused = await second.PushAsync(Push(), Agent());

        Assert.Equal(ConnectCode.ResourceExhausted, Assert.Single(refused.Failures).LastError.Code);
        // Had the full queue made the request wait for the slot, the first push would be over by now. (A wall-clock
        // bound on the refusal failed on a loaded machine, where a fresh connection alone can take a second.)
        Assert.False(served.IsCompleted, "a full queue does not make the request wait");
        Assert.True((await served).Succeeded);
        Assert.Equal((2, 1, 1), (backend.Requests, backend.Ingested, backend.Rejected));
    }

    [Fact]
    [Trait(LiveTrait.Name, LiveTrait.Value)]
    public async Task A_hanging_outage_answers_nothing_until_the_client_gives_up()
    {
        await Warmup.EnsureAsync();
        var records = new RecordingSink();
        var context = new LiveContext(sink: records);
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope") with
        {
            Outages = [new OutageSpec(TimeSpan.Zero, TimeSpan.FromMinutes(1), OutageMode.Hang)],
        }, context);
        await using var writer = new LiveWriter("w", WriteTo(backend.BaseUri.ToString(), remoteTimeout: Ms(400)), context);
        var result = await writer.PushAsync(Push(), Agent());

        Assert.Equal(ConnectCode.DeadlineExceeded, Assert.Single(result.Failures).LastError.Code);
        Assert.InRange(Assert.Single(records.Attempts).Latency, Ms(390), Ms(1500));
    }

    [Fact]
    [Trait(LiveTrait.Name, LiveTrait.Value)]
    public async Task An_answer_later_than_the_server_write_timeout_never_arrives()
    {
        await Warmup.EnsureAsync();
        var context = new LiveContext();
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope") with
        {
            Latency = Distributions.Constant(0.3),
            ServerWriteTimeout = Ms(150),
        }, context);
        await using var writer = new LiveWriter("w", WriteTo(backend.BaseUri.ToString(), remoteTimeout: Ms(3000)), context);
        var result = await writer.PushAsync(Push(), Agent());

        // Go's server closes the connection instead of writing: a transport error, not the 200 it had ready.
        Assert.Equal(ConnectCode.Unavailable, Assert.Single(result.Failures).LastError.Code);
        Assert.Equal(1, backend.Ingested);
    }

    [Fact]
    [Trait(LiveTrait.Name, LiveTrait.Value)]
    public async Task The_rate_limit_answers_resource_exhausted_once_the_bucket_is_empty()
    {
        var context = new LiveContext();
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope") with
        {
            RateLimit = new RateLimitSpec(Rate: 0.5, Burst: 2),
        }, context);
        await using var writer = new LiveWriter("w", WriteTo(backend.BaseUri.ToString()), context);
        var results = new List<WriteResult>();
        for (int i = 0; i < 3; i++) results.Add(await writer.PushAsync(Push(), Agent()));

        Assert.Equal([true, true, false], results.Select(r => r.Succeeded));
        Assert.Equal(ConnectCode.ResourceExhausted, Assert.Single(results[2].Failures).LastError.Code);
        Assert.Equal(1, backend.Rejected);
    }

    [Fact]
    public async Task A_request_that_gave_up_while_queued_leaves_the_queue_and_frees_its_place()
    {
        await Warmup.EnsureAsync();
        var context = new LiveContext();
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope", 4.0) with { Concurrency = 1, QueueCapacity = 1 }, context);
        await using var serving = new LiveWriter("a", WriteTo(backend.BaseUri.ToString(), remoteTimeout: Ms(8000)), context);
        await using var impatient = new LiveWriter("b", WriteTo(backend.BaseUri.ToString(), remoteTimeout: Ms(300)), context);
        var served = serving.PushAsync(Push(), Agent());
        await Eventually(() => backend.Serving == 1, Ms(3000), "the first request served");

        var gaveUp = await impatient.PushAsync(Push(), Agent());
        Assert.Equal(ConnectCode.DeadlineExceeded, Assert.Single(gaveUp.Failures).LastError.Code);
        await Eventually(() => backend.Queued == 0, Ms(3000), "the queue emptied by the request that gave up");

        // Its place is free again: the next one waits (and gives up) instead of being answered unavailable at once.
        var next = await impatient.PushAsync(Push(), Agent());
        Assert.Equal(ConnectCode.DeadlineExceeded, Assert.Single(next.Failures).LastError.Code);
        Assert.Equal(0, backend.Rejected);
        Assert.True((await served).Succeeded);
    }
}
