using PipelineSim.Spec;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Kernel;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Harness;
using PipelineSim.Live.Proxy;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Tests.Support;

using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Harness;

/// <summary>
/// The troubleshooting guide's timeout chain, run by the harness at 1/10 of real time. (At 1/20 a busy two-core
/// machine's half-second stalls become ten scenario seconds; 1/10 keeps the story intact and the test short.)
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public class LivePipelineTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    /// <summary>One agent every 15 s → w1 → r → w2 → link → pyroscope; every flow on the link dies at 22 s,
    /// well clear of the pushes at 15 s (done by about 15.3 s) and 30 s, so a stalled machine does not move the story.</summary>
    private static LivePipelineBuilder TimeoutChain(RecordingSink records) =>
        new LivePipelineBuilder(new LiveRunOptions { TimeScale = 0.1, Seed = 7, SampleStep = S(5) }, records)
            .AddBackend("pyroscope", StubBackend("pyroscope", 0.1))
            .AddWriter("w2", new WriteOptions { Endpoints = [new WriteEndpointOptions { Url = "pyroscope" }] })
            .AddLink("w2", "pyroscope", new FaultProxyOptions())
            .AddReceiver("r", new ReceiverSpec { Name = "r", ForwardTo = ["w2"] })
            .AddWriter("w1", new WriteOptions { Endpoints = [new WriteEndpointOptions { Url = "r" }] })
            .AddAgents(new SourceSpec { Name = "agents", To = "w1", PhaseJitter = TimeSpan.Zero, ProfileBytes = Distributions.Constant(1024) })
            .Schedule(S(22), p =>
            {
                p.Link("w2", "pyroscope").BreakAllFlows();
                return Task.CompletedTask;
            });

    [Fact]
    public async Task A_broken_link_eats_the_whole_budget_and_w1_delivers_only_on_its_own_retry()
    {
        await Warmup.EnsureAsync();
        var records = new RecordingSink();
        await using var pipeline = await TimeoutChain(records).StartAsync();
        var started = DateTime.UtcNow;
        await pipeline.RunAsync(S(50));
        var wall = DateTime.UtcNow - started;
        Assert.InRange(wall, S(4.9), S(8)); // 50 s of scenario at 0.1

        var w1 = records.Pushes.Where(p => p.Writer == "w1").OrderBy(p => p.Start).ToList();
        Assert.True(w1.Count >= 3, records.Story()); // at 0, 15 and 30 s, then 45 s unless the machine stalled
        Assert.InRange(w1[0].Start.TotalSeconds, 0, 0.5);
        Assert.Equal([1, 1, 2], w1.Take(3).Select(p => p.Attempts));
        Assert.All(w1.Take(3), p => Assert.Equal(PushResult.Delivered, p.Result));
        Assert.All(w1.Skip(3), p => Assert.Equal(1, p.Attempts));

        // The push at 30 s: its first attempt hung for the full 10 s behind the dead connection...
        var hit = records.AttemptsOf(w1[2].PushId);
        // Which error w1 reads is a race Go has too: its own deadline, or the receiver's 500 sent when the deadline it
        // was handed (truncated to whole ms, so up to 1 ms earlier) passed first. Either way the attempt hung to the end.
        Assert.Contains(hit[0].Code, new[] { ConnectCode.DeadlineExceeded, ConnectCode.Internal });
        Assert.InRange(hit[0].Latency.TotalSeconds, 9.9, 12);
        // ...and w2, holding the same deadline, got exactly one attempt: no time left to retry.
        var w2Hit = records.Pushes.Single(p => p.Writer == "w2" && p.Result == PushResult.Failed);
        Assert.Equal(1, w2Hit.Attempts);
        Assert.Equal(w1[2].PushId, w2Hit.ParentPushId);
        var w2Attempt = Assert.Single(records.AttemptsOf(w2Hit.PushId));
        Assert.True(w2Attempt.Reused);
        Assert.InRange((w2Attempt.Deadline.When - hit[0].Deadline.When).TotalSeconds, -0.05, 0.5);

        // Metrics were sampled on the 5 s grid from 0 to 50 s, receiver gauges included.
        var grid = records.Samples.Where(s => s.Name == MetricNames.ReceiveTcpConnections).Select(s => s.Time.TotalSeconds).ToList();
        Assert.Equal(Enumerable.Range(0, 11).Select(i => i * 5.0), grid);
        Assert.All(records.Samples.Where(s => s.Name == MetricNames.ReceiveTcpConnectionsLimit), s => Assert.Equal(16384, s.Value));
        Assert.Contains(records.Samples, s => s.Name == MetricNames.WriteRetries && s.Labels == "component_id=\"w1\",endpoint=\"r\"" && s.Value == 1);
        var stats = Assert.Single(pipeline.ReceiverStats());
        Assert.Equal(16384, stats.ConnLimit);
        Assert.InRange(stats.PeakAcceptedConnections, 1, 2);
    }

    [Fact]
    public async Task Pushes_still_running_when_the_run_ends_are_recorded_in_flight()
    {
        await Warmup.EnsureAsync();
        var records = new RecordingSink();
        await using var pipeline = await TimeoutChain(records).StartAsync();
        await pipeline.RunAsync(S(36)); // ends while the push at 30 s hangs (until 40 s)

        var last = records.Pushes.Where(p => p.Writer == "w1").MaxBy(p => p.Start)!;
        Assert.True(last.Result == PushResult.InFlight, records.Story());
        Assert.InRange(last.End.TotalSeconds, 35.9, 37);
        Assert.Contains(records.Pushes, p => p.Writer == "w2" && p.Result == PushResult.InFlight && p.ParentPushId == last.PushId);
        Assert.DoesNotContain(records.Pushes, p => p.Result == PushResult.Failed);
    }

    [Fact]
    public async Task The_receiver_counts_the_deadline_from_when_the_link_delivers_the_request()
    {
        // w1 reaches r through a link that adds 50 ms one way. As in Go and in the simulator, r counts the
        // Connect-Timeout-Ms it reads from the request's arrival: its deadline lands the link's latency after w1's,
        // less the header's truncation to whole milliseconds, and no later (the anchor is never after arrival).
        await Warmup.EnsureAsync();
        var records = new RecordingSink();
        await using var pipeline = await new LivePipelineBuilder(new LiveRunOptions { Seed = 7 }, records)
            .AddBackend("pyroscope", StubBackend("pyroscope"))
            .AddWriter("w2", new WriteOptions { Endpoints = [new WriteEndpointOptions { Url = "pyroscope" }] })
            .AddReceiver("r", new ReceiverSpec { Name = "r", ForwardTo = ["w2"] })
            .AddWriter("w1", new WriteOptions { Endpoints = [new WriteEndpointOptions { Url = "r", RemoteTimeout = S(2) }] })
            .AddLink("w1", "r", new FaultProxyOptions { Latency = TimeSpan.FromMilliseconds(50) })
            .StartAsync();

        var result = await pipeline.Writers["w1"].PushAsync(Push(), Agent());

        Assert.True(result.Succeeded, result.Error);
        var upstream = Assert.Single(records.Attempts, a => a.Writer == "w1").Deadline.When;
        var forwarded = Assert.Single(records.Pushes, p => p.Writer == "w2").ParentDeadline.When;
        Assert.InRange((forwarded - upstream).TotalMilliseconds, 49, 50);
    }

    [Fact]
    public async Task A_topology_with_dangling_names_is_refused_with_every_problem()
    {
        var builder = new LivePipelineBuilder(new LiveRunOptions())
            .AddWriter("w1", new WriteOptions { Endpoints = [new WriteEndpointOptions { Url = "nowhere" }] })
            .AddReceiver("r", new ReceiverSpec { Name = "r", ForwardTo = ["w9"] })
            .AddAgents(new SourceSpec { Name = "agents", To = "r" })
            .AddLink("w1", "ghost", new FaultProxyOptions());
        var problems = builder.Validate();
        Assert.Equal(4, problems.Count);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => builder.StartAsync());
        Assert.Contains("forward_to \"w9\" is not a writer", error.Message);
    }
}
