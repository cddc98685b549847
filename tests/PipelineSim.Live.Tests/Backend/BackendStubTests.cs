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
        await using var backend = await BackendStub.StartAsync("pyroscope", new BackendOptions
        {
            Errors = [new BackendErrorRule(ConnectCode.Unavailable, 0.2), new BackendErrorRule(ConnectCode.ResourceExhausted, 0.1)],
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
        await using var backend = await BackendStub.StartAsync("pyroscope", new BackendOptions
        {
            Errors = [new BackendErrorRule(ConnectCode.ResourceExhausted, 1.0)],
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
    public async Task An_outage_window_fails_everything_inside_it()
    {
        var context = new LiveContext();
        await using var backend = await BackendStub.StartAsync("pyroscope", new BackendOptions
        {
            Outages = [new OutageWindow(TimeSpan.Zero, Ms(300))],
        }, context);
        await using var writer = new LiveWriter("w", WriteTo(backend.BaseUri.ToString()), context);
        var during = await writer.PushAsync(Push(), Agent());
        Assert.Equal(ConnectCode.Unavailable, Assert.Single(during.Failures).LastError.Code);
        await Task.Delay(Ms(350));
        Assert.True((await writer.PushAsync(Push(), Agent())).Succeeded);
    }

    [Fact]
    public async Task Concurrency_queues_requests_beyond_it()
    {
        await Warmup.EnsureAsync();
        var records = new RecordingSink();
        var context = new LiveContext(sink: records);
        await using var backend = await BackendStub.StartAsync("pyroscope", new BackendOptions
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
    public void Options_are_checked_one_problem_per_line()
    {
        var problems = new BackendOptions
        {
            Concurrency = -1,
            Errors = [new BackendErrorRule(ConnectCode.Unavailable, 0.8), new BackendErrorRule(ConnectCode.Internal, 0.5)],
            Outages = [new OutageWindow(Ms(10), Ms(5))],
        }.Validate();
        Assert.Equal(3, problems.Count);
    }
}
