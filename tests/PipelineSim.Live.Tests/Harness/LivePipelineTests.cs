using PipelineSim.Spec;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Harness;
using PipelineSim.Live.Proxy;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Tests.Support;

using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Harness;

/// <summary>
/// The troubleshooting guide's timeout chain, run end to end by the harness on a <see cref="ManualTimeProvider"/>: the
/// test plays the story timer by timer (<see cref="ClockDriver"/>), so every instant in the records is the rule's, not
/// the machine's.
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public class LivePipelineTests
{
    private static readonly TimeSpan SampleStep = S(5);
    private readonly ManualTimeProvider time = new();
    private readonly RecordingSink records = new();

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    /// <summary>One agent every 15 s → w1 → r → w2 → link → pyroscope (100 ms per push); every flow on the link dies at 22 s.</summary>
    private LivePipelineBuilder TimeoutChain() =>
        new LivePipelineBuilder(new LiveRunOptions { Time = time, Seed = 7, SampleStep = SampleStep }, records)
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

    /// <summary>The run waits on timers alone once the metric samples due by <paramref name="now"/> are recorded (the end's is the run's own).</summary>
    private bool Sampled(TimeSpan now, TimeSpan end)
    {
        int due = now >= end ? (int)Math.Ceiling(end / SampleStep) : (int)(now / SampleStep) + 1;
        return records.Samples.Where(s => s.Name == MetricNames.ReceiveTcpConnections).Select(s => s.Time).Distinct().Count() >= due;
    }

    private int W1Done => records.Pushes.Count(p => p.Writer == "w1");

    /// <summary>The agent pushes at <paramref name="at"/>; the backend serves it for 100 ms and w1 records it delivered.</summary>
    private async Task ServedPush(ClockDriver clock, TimeSpan at)
    {
        int done = W1Done;
        await clock.AdvanceTo(at);
        await clock.Until(() => time.HasTimerAt(at + S(0.1)), $"the backend serving the push at {at}");
        await clock.AdvanceTo(at + S(0.1));
        await clock.Until(() => W1Done == done + 1, $"w1 recording the push at {at}");
    }

    /// <summary>Up to 30 s: two pushes served, the link's flows dropped at 22 s, and the push at 30 s hanging on the dead connection.</summary>
    private async Task UpToTheHang(ClockDriver clock, LivePipeline pipeline)
    {
        await ServedPush(clock, S(0));
        await ServedPush(clock, S(15));
        await clock.AdvanceTo(S(22));
        await clock.Until(() => pipeline.Link("w2", "pyroscope").FlowsBroken == 1, "the link dropping w2's idle connection");
        await clock.AdvanceTo(S(30));
        // w2 sends the forwarded push on its pooled connection, whose flow the link forgot: nothing comes back, and the
        // push hangs until the one budget, w1's deadline handed down through r to w2, passes at 40 s at both writers.
        await clock.Until(() => pipeline.Link("w2", "pyroscope").BytesDropped > 0 && time.TimersAt(S(40)) == 2,
            "the push at 30 s lost on the dead link, waiting on its deadline at w1 and w2");
    }

    [Fact]
    public async Task A_broken_link_eats_the_whole_budget_and_w1_delivers_only_on_its_own_retry()
    {
        await Warmup.EnsureAsync();
        await using var pipeline = await TimeoutChain().StartAsync();
        var end = S(50);
        var clock = new ClockDriver(time, now => Sampled(now, end));
        var run = pipeline.RunAsync(end);

        await UpToTheHang(clock, pipeline);
        await clock.AdvanceTo(S(40));
        await clock.Until(() => records.Pushes.Any(p => p.Writer == "w2" && p.Result == PushResult.Failed) && records.Attempts.Any(a => a.Writer == "w1" && a.End.SinceStart == S(40)) && time.NextDue < S(45),
            "w2 failing and w1 sleeping before its retry");
        var retry = await clock.AdvanceToNextTimer();
        await clock.Until(() => time.HasTimerAt(retry + S(0.1)), "the backend serving w1's retry");
        await clock.AdvanceTo(retry + S(0.1));
        await clock.Until(() => W1Done == 3, "w1 recording the retried push");
        await ServedPush(clock, S(45));
        await clock.AdvanceTo(end);
        await run;

        var w1 = records.Pushes.Where(p => p.Writer == "w1").OrderBy(p => p.Start).ToList();
        Assert.Equal([S(0), S(15), S(30), S(45)], w1.Select(p => p.Start.SinceStart));
        Assert.Equal([1, 1, 2, 1], w1.Select(p => p.Attempts));
        Assert.All(w1, p => Assert.Equal(PushResult.Delivered, p.Result));
        Assert.Equal([S(0.1), S(15.1), retry + S(0.1), S(45.1)], w1.Select(p => p.End.SinceStart));
        // The retry waits Alloy's first backoff: uniform in [500 ms, 1 s) (Core's Backoff, after dskit's).
        Assert.True(retry - S(40) >= S(0.5) && retry - S(40) < S(1), $"retried at {retry}");

        // The push at 30 s: its first attempt hung for the full 10 s behind the dead connection...
        var hit = records.AttemptsOf(w1[2].PushId);
        // Which error w1 reads is a tie Go has too: its own deadline, or the receiver's 500 sent when the same deadline,
        // handed down in Connect-Timeout-Ms, passed there. Either way the attempt hung to the end.
        Assert.Contains(hit[0].Code, new[] { ConnectCode.DeadlineExceeded, ConnectCode.Internal });
        Assert.Equal(S(10), hit[0].Latency);
        // ...and w2, holding the same deadline, got exactly one attempt: no time left to retry.
        var w2Hit = records.Pushes.Single(p => p.Writer == "w2" && p.Result == PushResult.Failed);
        Assert.Equal(1, w2Hit.Attempts);
        Assert.Equal(w1[2].PushId, w2Hit.ParentPushId);
        var w2Attempt = Assert.Single(records.AttemptsOf(w2Hit.PushId));
        Assert.True(w2Attempt.Reused);
        Assert.Equal(hit[0].Deadline, w2Attempt.Deadline);

        // Metrics were sampled on the 5 s grid from 0 to 50 s, receiver gauges included.
        var grid = records.Samples.Where(s => s.Name == MetricNames.ReceiveTcpConnections).Select(s => s.Time.TotalSeconds).ToList();
        Assert.Equal(Enumerable.Range(0, 11).Select(i => i * 5.0), grid);
        Assert.All(records.Samples.Where(s => s.Name == MetricNames.ReceiveTcpConnectionsLimit), s => Assert.Equal(16384, s.Value));
        Assert.Contains(records.Samples, s => s.Name == MetricNames.WriteRetries && s.Labels == "component_id=\"w1\",endpoint=\"r\"" && s.Value == 1);
        var stats = Assert.Single(pipeline.ReceiverStats());
        Assert.Equal(16384, stats.ConnLimit);
        // One connection from w1 throughout, or two for a moment: when w1 gave up at 40 s and closed its connection,
        // the retry's new one may be accepted before the receiver has seen the close.
        Assert.InRange(stats.PeakAcceptedConnections, 1, 2);
    }

    [Fact]
    public async Task Pushes_still_running_when_the_run_ends_are_recorded_in_flight()
    {
        await Warmup.EnsureAsync();
        await using var pipeline = await TimeoutChain().StartAsync();
        var end = S(36); // ends while the push at 30 s hangs (until 40 s)
        var clock = new ClockDriver(time, now => Sampled(now, end));
        var run = pipeline.RunAsync(end);

        await UpToTheHang(clock, pipeline);
        await clock.AdvanceTo(end);
        await run;

        var last = records.Pushes.Where(p => p.Writer == "w1").MaxBy(p => p.Start)!;
        Assert.Equal((PushResult.InFlight, S(30), end), (last.Result, last.Start.SinceStart, last.End.SinceStart));
        var forwarded = Assert.Single(records.Pushes, p => p.Writer == "w2" && p.ParentPushId == last.PushId);
        Assert.Equal((PushResult.InFlight, end), (forwarded.Result, forwarded.End.SinceStart));
        Assert.DoesNotContain(records.Pushes, p => p.Result == PushResult.Failed);
    }

    [Fact]
    public async Task The_receiver_counts_the_deadline_from_when_the_link_delivers_the_request()
    {
        // w1 reaches r through a link that adds 50 ms one way. As in Go and in the simulator, r counts the
        // Connect-Timeout-Ms it reads from the request's arrival: its deadline lands the link's latency after w1's
        // (the header carries all 2000 ms: time stands still while w1 writes it).
        await Warmup.EnsureAsync();
        var transit = TimeSpan.FromMilliseconds(50);
        await using var pipeline = await new LivePipelineBuilder(new LiveRunOptions { Time = time, Seed = 7 }, records)
            .AddBackend("pyroscope", StubBackend("pyroscope"))
            .AddWriter("w2", new WriteOptions { Endpoints = [new WriteEndpointOptions { Url = "pyroscope" }] })
            .AddReceiver("r", new ReceiverSpec { Name = "r", ForwardTo = ["w2"] })
            .AddWriter("w1", new WriteOptions { Endpoints = [new WriteEndpointOptions { Url = "r", RemoteTimeout = S(2) }] })
            .AddLink("w1", "r", new FaultProxyOptions { Latency = transit })
            .StartAsync();

        var pushing = pipeline.Writers["w1"].PushAsync(Push(), Agent());
        var clock = new ClockDriver(time);
        while (!pushing.IsCompleted)
        {
            // Each crossing of the link waits its 50 ms on the clock: move it when bytes wait there, only then.
            var crossed = clock.Now + transit;
            await clock.Until(() => pushing.IsCompleted || time.HasTimerAt(crossed), "bytes crossing the link");
            if (!pushing.IsCompleted) await clock.AdvanceTo(crossed);
        }
        var result = await pushing;

        Assert.True(result.Succeeded, result.Error);
        var upstream = Assert.Single(records.Attempts, a => a.Writer == "w1").Deadline.When;
        var forwarded = Assert.Single(records.Pushes, p => p.Writer == "w2").ParentDeadline.When;
        Assert.Equal(transit, forwarded - upstream);
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
