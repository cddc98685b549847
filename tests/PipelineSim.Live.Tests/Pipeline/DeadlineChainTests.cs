using PipelineSim.Spec;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Live.Time;
using PipelineSim.Live.Writer;
using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Pipeline;

/// <summary>
/// w1 → receive_http → w2 → backend over real sockets: one deadline travels the whole chain. Time is a
/// <see cref="ManualTimeProvider"/>: it stands still while the bytes travel, so every deadline and header is exact,
/// and the test moves it to the instants the story turns on.
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public sealed class DeadlineChainTests : IAsyncLifetime
{
    private static readonly TimeSpan Service = Ms(300);
    private readonly ManualTimeProvider time = new();
    private readonly RecordingSink records = new();
    private readonly LiveContext context;
    private readonly List<BackendRequest> seen = [];
    private BackendStub backend = null!;
    private LiveReceiver receiver = null!;
    private LiveWriter w2 = null!;

    public DeadlineChainTests() => context = new LiveContext(new LiveClock(1.0, time), records, seed: 3);

    public async Task InitializeAsync()
    {
        await Warmup.EnsureAsync();
        backend = await BackendStub.StartAsync(StubBackend("pyroscope", Service.TotalSeconds), context);
        backend.RequestCompleted += request => { lock (seen) seen.Add(request); };
        receiver = await LiveReceiver.StartAsync(new ReceiverSpec { Name = "r", Http = new ReceiveHttpOptions { ListenPort = 0 } }, context);
        w2 = new LiveWriter("w2", WriteTo(backend.BaseUri.ToString(), remoteTimeout: TimeSpan.FromSeconds(10)), context);
        receiver.ForwardTo([w2]);
    }

    public async Task DisposeAsync()
    {
        await w2.DisposeAsync();
        await receiver.DisposeAsync();
        await backend.DisposeAsync();
    }

    /// <summary>Waits until the backend serves a series ending at <paramref name="at"/>, then moves the clock there.</summary>
    private async Task ServeUntil(TimeSpan at)
    {
        await Eventually(() => time.HasTimerAt(at), TimeSpan.FromSeconds(10), $"a series served until {at.TotalMilliseconds} ms");
        time.Advance(at - time.Elapsed);
    }

    [Fact]
    public async Task The_downstream_attempt_deadline_is_the_upstream_one()
    {
        await using var w1 = new LiveWriter("w1", WriteTo(receiver.BaseUri.ToString(), remoteTimeout: TimeSpan.FromSeconds(2)), context);
        var pushing = w1.PushAsync(Push(series: 2), Agent());
        await ServeUntil(Service);
        await ServeUntil(2 * Service);
        var result = await pushing;
        Assert.True(result.Succeeded, result.Error);

        var upstream = Assert.Single(records.Attempts, a => a.Writer == "w1");
        var downstream = records.Attempts.Where(a => a.Writer == "w2").OrderBy(a => a.Start).ToList();
        // One push per series, in sequence; w2's own remote_timeout (10 s) is later, so the deadline it uses is the
        // one that came over the wire: 2000 ms from the instant w1 wrote it, exactly w1's own.
        Assert.Equal([TimeSpan.Zero, Service], downstream.Select(a => a.Start.SinceStart));
        Assert.All(downstream, a => Assert.Equal(upstream.Deadline, a.Deadline));

        // The forwarded pushes name their parent and the agent.
        var w2Pushes = records.Pushes.Where(p => p.Writer == "w2").ToList();
        long parentId = records.Pushes.Single(p => p.Writer == "w1").PushId;
        Assert.All(w2Pushes, p => Assert.Equal((parentId, "agent-0"), (p.ParentPushId, p.Source)));
        Assert.All(w2Pushes, p => Assert.Equal(upstream.Deadline, p.ParentDeadline));

        // And w2 sends what is left of it on to the backend, in whole milliseconds.
        lock (seen) Assert.Equal(["2000", "1700"], seen.Select(r => r.ConnectTimeoutHeader));
    }

    [Fact]
    public async Task The_receivers_truncated_deadline_passing_first_answers_w1_internal_before_its_own_passes()
    {
        // w1 gives 500.4 ms; Connect-Timeout-Ms carries 500, so the receiver's deadline comes 0.4 ms before w1's.
        // The backend needs 300 ms per series, so the second of two series runs out of time in w2. Go decides this
        // race by the instants, and so does live mode: at 500 ms only the receiver's deadline has passed.
        var budget = Ms(500.4);
        await using var w1 = new LiveWriter("w1", WriteTo(receiver.BaseUri.ToString(), remoteTimeout: budget, maxRetries: 1), context);
        var pushing = w1.PushAsync(Push(series: 2), Agent());
        await ServeUntil(Service);
        await Eventually(() => time.HasTimerAt(2 * Service), TimeSpan.FromSeconds(10), "the second series served");
        time.Advance(Ms(500) - time.Elapsed);
        var result = await pushing;

        var failure = Assert.Single(result.Failures);
        Assert.Equal(ConnectCode.Internal, failure.LastError.Code);
        Assert.Contains("unable to append series", failure.LastError.Message);
        var forwarded = records.Pushes.Where(p => p.Writer == "w2").OrderBy(p => p.Start).ToList();
        Assert.Equal(PushResult.Delivered, forwarded[0].Result);
        Assert.Equal((PushResult.Failed, 1, ConnectCode.DeadlineExceeded), (forwarded[1].Result, forwarded[1].Attempts, forwarded[1].Code));
        var upstream = Assert.Single(records.Attempts, a => a.Writer == "w1");
        Assert.Equal(Ms(500), upstream.Latency); // answered at the receiver's deadline, 0.4 ms before w1's own
        Assert.Equal(budget, upstream.Deadline.When.SinceStart);
    }

    [Fact]
    public async Task With_a_whole_millisecond_budget_both_deadlines_fall_together_and_nothing_is_retried()
    {
        // w1 gives exactly 500 ms: the header carries all of it and both deadlines are the same instant. Which one
        // the code shows is then a tie Go has too (w1's own deadline, or the receiver's 500 written at that instant;
        // w2's deadline or w1 closing its connection); either way the budget is spent and nothing is retried.
        await using var w1 = new LiveWriter("w1", WriteTo(receiver.BaseUri.ToString(), remoteTimeout: Ms(500), maxRetries: 1), context);
        var pushing = w1.PushAsync(Push(series: 2), Agent());
        await ServeUntil(Service);
        await Eventually(() => time.HasTimerAt(2 * Service), TimeSpan.FromSeconds(10), "the second series served");
        time.Advance(Ms(500) - time.Elapsed);
        var result = await pushing;

        Assert.Contains(Assert.Single(result.Failures).LastError.Code, new[] { ConnectCode.DeadlineExceeded, ConnectCode.Internal });
        await Eventually(() => records.Pushes.Count(p => p.Writer == "w2") == 2, TimeSpan.FromSeconds(10), "both forwarded pushes");
        var second = records.Pushes.Where(p => p.Writer == "w2").MaxBy(p => p.Start)!;
        Assert.Equal((PushResult.Failed, 1), (second.Result, second.Attempts));
        Assert.Contains(second.Code, new[] { ConnectCode.DeadlineExceeded, ConnectCode.Canceled });
        Assert.Equal(Ms(500), Assert.Single(records.Attempts, a => a.Writer == "w1").Latency);
    }
}
