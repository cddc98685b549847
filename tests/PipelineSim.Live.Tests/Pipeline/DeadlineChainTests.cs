using PipelineSim.Spec;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Kernel;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Live.Writer;
using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Pipeline;

/// <summary>w1 → receive_http → w2 → backend over real sockets: one deadline travels the whole chain.</summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public sealed class DeadlineChainTests : IAsyncLifetime
{
    private readonly RecordingSink records = new();
    private readonly LiveContext context;
    private readonly List<BackendRequest> seen = [];
    private BackendStub backend = null!;
    private LiveReceiver receiver = null!;
    private LiveWriter w2 = null!;

    public DeadlineChainTests() => context = new LiveContext(sink: records, seed: 3);

    public async Task InitializeAsync()
    {
        await Warmup.EnsureAsync();
        backend = await BackendStub.StartAsync(StubBackend("pyroscope", 0.3), context);
        backend.RequestCompleted += request => { lock (seen) seen.Add(request); };
        receiver = await LiveReceiver.StartAsync("r", new LiveReceiverOptions { Http = new ReceiveHttpOptions { ListenPort = 0 } }, context);
        w2 = new LiveWriter("w2", WriteTo(backend.BaseUri.ToString(), remoteTimeout: TimeSpan.FromSeconds(10)), context);
        receiver.ForwardTo([w2]);
    }

    public async Task DisposeAsync()
    {
        await w2.DisposeAsync();
        await receiver.DisposeAsync();
        await backend.DisposeAsync();
    }

    [Fact]
    public async Task The_downstream_attempt_deadline_is_the_upstream_one()
    {
        await using var w1 = new LiveWriter("w1", WriteTo(receiver.BaseUri.ToString(), remoteTimeout: TimeSpan.FromSeconds(2)), context);
        var result = await w1.PushAsync(Push(series: 2), Agent());
        Assert.True(result.Succeeded, result.Error);

        var upstream = Assert.Single(records.Attempts, a => a.Writer == "w1");
        var downstream = records.Attempts.Where(a => a.Writer == "w2").ToList();
        Assert.Equal(2, downstream.Count); // one push per series, in sequence
        foreach (var attempt in downstream)
        {
            // w2's own remote_timeout (10 s) is later, so the deadline it uses is the one that came over the wire.
            // It can differ from w1's only by the header's truncation to whole milliseconds (earlier, under 1 ms)
            // and by the time the request took to reach the handler (later, and before w2 started its attempt).
            double shift = (attempt.Deadline.When - upstream.Deadline.When).TotalMilliseconds;
            double transit = (attempt.Start - upstream.Start).TotalMilliseconds;
            Assert.InRange(shift, -1.5, transit + 0.5);
        }
        // Unloaded, that is a millisecond or two; on a busy two-core machine scheduling can add tens.
        Assert.InRange((downstream[0].Deadline.When - upstream.Deadline.When).TotalMilliseconds, -1.5, 50);
        Assert.True(downstream[1].Start - downstream[0].Start >= Ms(290), "series are forwarded one after the other");

        // The forwarded pushes name their parent and the agent.
        var w2Pushes = records.Pushes.Where(p => p.Writer == "w2").ToList();
        long parentId = records.Pushes.Single(p => p.Writer == "w1").PushId;
        Assert.All(w2Pushes, p => Assert.Equal((parentId, "agent-0"), (p.ParentPushId, p.Source)));
        Assert.All(w2Pushes, p => Assert.Equal(downstream[0].Deadline, p.ParentDeadline));

        // And w2 sends what is left of it on to the backend, truncated to whole milliseconds.
        lock (seen)
        {
            Assert.Equal(2, seen.Count);
            long first = long.Parse(seen[0].ConnectTimeoutHeader!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(first, 1900, 1999);
        }
    }

    [Fact]
    public async Task A_downstream_that_takes_the_whole_budget_leaves_no_time_to_retry()
    {
        // w1 gives 500 ms; the backend needs 300 ms per series, so the second of two series runs out of time in w2.
        await using var w1 = new LiveWriter("w1", WriteTo(receiver.BaseUri.ToString(), remoteTimeout: Ms(500), maxRetries: 1), context);
        var result = await w1.PushAsync(Push(series: 2), Agent());

        Assert.False(result.Succeeded);
        // Usually w1's own deadline passes first. The receiver's copy of it can be up to a millisecond earlier
        // (Connect-Timeout-Ms truncates), and then its 500 internal may just beat w1's deadline: Go races the same way.
        Assert.Contains(Assert.Single(result.Failures).LastError.Code, new[] { ConnectCode.DeadlineExceeded, ConnectCode.Internal });
        // w1 has given up; the receiver is still finishing the second series until the same deadline.
        await Eventually(() => records.Pushes.Count(p => p.Writer == "w2") == 2, TimeSpan.FromSeconds(3), "both forwarded pushes");
        var forwarded = records.Pushes.Where(p => p.Writer == "w2").OrderBy(p => p.Start).ToList();
        Assert.Equal(PushResult.Delivered, forwarded[0].Result);
        var second = forwarded[1];
        Assert.Equal((PushResult.Failed, 1), (second.Result, second.Attempts));
        // Which comes first is a race in Go too: the request deadline, or w1 closing its connection at its own
        // (Go's server then cancels the request context). Either way the budget is spent and nothing is retried.
        Assert.Contains(second.Code, new[] { ConnectCode.DeadlineExceeded, ConnectCode.Canceled });
    }
}
