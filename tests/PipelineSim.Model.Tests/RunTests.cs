using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Kernel;
using PipelineSim.Spec;
using static PipelineSim.Model.Tests.Pipelines;

namespace PipelineSim.Model.Tests;

/// <summary>Whole runs: determinism, the books, in-flight records, samples, progress and spec problems.</summary>
public class RunTests
{
    /// <summary>A spec exercising most mechanisms at once: L4 and L7 balancers, two receivers, faults of every kind.</summary>
    private static PipelineSpec Busy(ulong seed = 1) => new()
    {
        Name = "busy",
        Duration = M(20),
        Seed = seed,
        Sources =
        [
            new SourceSpec { Name = "fleet", Count = 60, ProfilesPerPush = 3, To = "w1", ProfileBytes = Distributions.LogNormal(60_000, 0.5) },
            new SourceSpec { Name = "scrapers", Count = 5, Writer = WriterSharing.Shared, PushTimeout = Distributions.Constant(15), To = "w0" },
        ],
        Components =
        [
            Writer("w1", "http://l4:8080", e => e with { RemoteTimeout = S(12), MaxBackoffRetries = 4 }),
            Writer("w0", "http://l7:8080"),
            new LoadBalancerSpec { Name = "l4", Targets = ["r1", "r2"], Policy = BalancePolicy.LeastConnections },
            new LoadBalancerSpec { Name = "l7", Layer = LoadBalancerLayer.L7, Targets = ["r1", "r2"], RequestTimeout = S(20) },
            new ReceiverSpec { Name = "r1", Http = new ReceiveHttpOptions { ConnLimit = 40 }, AcceptBacklog = 8, ForwardTo = ["w2"] },
            new ReceiverSpec { Name = "r2", Http = new ReceiveHttpOptions { ConnLimit = 40 }, AcceptBacklog = 8, ForwardTo = ["w2", "w3"] },
            Writer("w2", "http://pyroscope:4040", e => e with { RemoteTimeout = S(4) }),
            Writer("w3", "https://other:4040"),
            Pyroscope() with { Errors = [new ErrorRateSpec(ConnectCode.Unavailable, 0.02)], Concurrency = 8, QueueCapacity = 20 },
            Pyroscope("other") with { RateLimit = new RateLimitSpec(5, 10) },
        ],
        Links =
        [
            new LinkSpec { From = "w1", To = "l4", Rtt = TimeSpan.FromMilliseconds(5), Middlebox = new MiddleboxSpec(S(20), MiddleboxMode.Rst) },
            new LinkSpec { From = "w2", To = "pyroscope", Rtt = TimeSpan.FromMilliseconds(20), Middlebox = new MiddleboxSpec(M(4)) },
        ],
        Faults =
        [
            new DropIdleFlowsFault { At = M(3), Link = "w2->pyroscope" },
            new PartitionFault { At = M(5), Duration = S(30), Link = "w2->pyroscope" },
            new RestartFault { At = M(8), Component = "r2", Downtime = S(10) },
            new RestartFault { At = M(11), Component = "l4", Downtime = S(2) },
            new BackendOutageFault { At = M(14), Duration = S(40), Backend = "pyroscope", Mode = OutageMode.Hang },
            new RandomLinkBreaksFault { Link = "w3->other", RatePerConnectionHour = 10 },
        ],
    };

    private static List<string> Stream(PipelineSpec spec, RunOptions? options = null)
    {
        var sink = new RecordingSink();
        SimulationRun.Execute(spec, sink, options);
        return [.. sink.Pushes.Select(p => p.ToString()), .. sink.Attempts.Select(a => a.ToString()), .. sink.Samples.Select(s => s.ToString())];
    }

    [Fact]
    public void The_same_spec_and_seed_give_the_same_record_stream()
    {
        var first = Stream(Busy());
        Assert.Equal(first, Stream(Busy()));
        Assert.NotEqual(first, Stream(Busy(seed: 2)));
        Assert.Equal(Stream(Busy(seed: 2)), Stream(Busy(), new RunOptions { Seed = 2 }));
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void The_books_balance_under_every_kind_of_fault(ulong seed)
    {
        var sink = new RecordingSink();
        var result = SimulationRun.Execute(Busy(seed), sink);
        var books = result.Conservation;
        Assert.True(books.Holds, books.ToString());
        Assert.True(books.Dropped > 0 && books.Delivered > 0);
        // The books agree with the first-hop records (a push with no parent), counted independently.
        var firstHop = sink.Pushes.Where(p => p.ParentPushId is null).ToList();
        Assert.Equal(books.Created, firstHop.Sum(p => (long)p.Profiles));
        Assert.Equal(books.Delivered, firstHop.Where(p => p.Result == PushResult.Delivered).Sum(p => (long)p.Profiles));
        Assert.Equal(books.InFlight, firstHop.Where(p => p.Result == PushResult.InFlight).Sum(p => (long)p.Profiles));
        Assert.Equal(result.Sources.Sum(s => s.ProfilesCreated) * 1, books.Created); // one endpoint per first-hop writer
        // Every push has its attempts recorded, except the one still running in an in-flight push.
        var attemptsByPush = sink.Attempts.GroupBy(a => a.PushId).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(sink.Pushes, p => Assert.InRange(p.Attempts - attemptsByPush.GetValueOrDefault(p.PushId), 0, p.Result == PushResult.InFlight ? 1 : 0));
        Assert.Equal(result.PushRecords, sink.Pushes.Count);
        // Every delivered first-hop profile was stored by a backend at least once.
        Assert.True(books.Ingested >= books.Delivered);
    }

    [Fact]
    public void A_heavy_tailed_profile_size_is_cut_at_the_largest_profile()
    {
        var spec = TimeoutChain(agents: 50, dropAt: M(100), duration: M(2));
        spec = spec with { Sources = [spec.Sources[0] with { ProfilesPerPush = 1, ProfileBytes = Distributions.LogNormal(256 << 20, 2) }] };
        var sink = new RecordingSink();
        SimulationRun.Execute(spec, sink);
        var sizes = sink.PushesOf("w1").Select(p => p.Bytes).ToList();
        Assert.All(sizes, size => Assert.InRange(size, 1, SourceSpec.MaxProfileBytes));
        Assert.Contains(SourceSpec.MaxProfileBytes, sizes); // about one draw in twenty lands past 1GiB
        Assert.Contains(sizes, size => size < SourceSpec.MaxProfileBytes);
    }

    [Fact]
    public void Pushes_still_running_at_the_end_are_recorded_as_in_flight()
    {
        var sink = new RecordingSink();
        var result = SimulationRun.Execute(TimeoutChain(agents: 200, dropAt: M(100), duration: S(30.2)), sink);
        var inFlight = sink.Pushes.Where(p => p.Result == PushResult.InFlight).ToList();
        Assert.NotEmpty(inFlight);
        Assert.All(inFlight, p => Assert.Equal(S(30.2), p.End.SinceStart));
        Assert.Equal(result.Writer("w1").InFlight + result.Writer("w2").InFlight, inFlight.Count);
        Assert.Equal(result.Conservation.InFlight, inFlight.Where(p => p.ParentPushId is null).Sum(p => p.Profiles));
    }

    [Fact]
    public void Samples_come_on_the_step_with_alloy_names_and_cumulative_histograms()
    {
        var sink = new RecordingSink();
        var spec = TimeoutChain(dropAt: M(100), duration: M(2)) with { SampleStep = S(10) };
        var result = SimulationRun.Execute(spec, sink);
        var times = sink.Samples.Select(s => s.Time.SinceStart).Distinct().ToList();
        Assert.Equal(Enumerable.Range(0, 13).Select(i => S(10 * i)), times);

        string endpoint = "component_id=\"w1\",endpoint=\"http://r:8080\"";
        var sent = sink.Series(MetricNames.WriteSentProfiles, endpoint).ToList();
        Assert.Equal(13, sent.Count);
        Assert.Equal(result.Writer("w1").Endpoints[0].SentProfiles, sent[^1].Value);
        Assert.True(sent.Zip(sent.Skip(1)).All(pair => pair.First.Value <= pair.Second.Value));

        var buckets = sink.Samples.Where(s => s.Name == MetricNames.WriteLatency + "_bucket" && s.Time == sent[^1].Time
            && s.Labels.StartsWith(endpoint, StringComparison.Ordinal) && s.Labels.EndsWith("type=\"push_downstream\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(12, buckets.Count);
        Assert.True(buckets.Zip(buckets.Skip(1)).All(pair => pair.First.Value <= pair.Second.Value));
        Assert.Equal("component_id=\"w1\",endpoint=\"http://r:8080\",le=\"+Inf\",type=\"push_downstream\"", buckets[^1].Labels);
        Assert.Equal(result.Writer("w1").Attempts, buckets[^1].Value);
        Assert.Contains(sink.Samples, s => s.Name == MetricNames.WriteLatency + "_count" && s.Labels == "component_id=\"w1\",endpoint=\"-\",type=\"push_total\"");
        Assert.Contains(sink.Samples, s => s.Name == MetricNames.WriteConnections && s.Labels == endpoint + ",state=\"idle\"");
    }

    [Fact]
    public void Progress_is_reported_in_order_up_to_the_end()
    {
        var reports = new List<RunProgress>();
        SimulationRun.Execute(TimeoutChain(dropAt: M(100), duration: M(3)), new RecordingSink(), new RunOptions { Progress = reports.Add });
        Assert.True(reports.Count > 50);
        Assert.True(reports.Zip(reports.Skip(1)).All(pair => pair.First.Simulated < pair.Second.Simulated));
        Assert.Equal(1.0, reports[^1].Fraction);
    }

    [Fact]
    public void The_duration_override_shortens_the_run()
    {
        var result = SimulationRun.Execute(TimeoutChain(), new RecordingSink(), new RunOptions { Duration = M(1) });
        Assert.Equal(M(1), result.Duration);
        Assert.InRange(result.Sources[0].Pushes, 60, 100); // 20 agents every 15 s
    }

    [Fact]
    public void A_broken_spec_is_refused_with_every_problem()
    {
        var spec = new PipelineSpec
        {
            Duration = TimeSpan.Zero,
            Sources = [new SourceSpec { Name = "a", Count = -1, To = "nowhere" }],
            Components =
            [
                Writer("w1", "http://r:8080", e => e with { RemoteTimeout = S(-1) }),
                new ReceiverSpec { Name = "r", Http = new ReceiveHttpOptions { ConnLimit = -5 }, ForwardTo = ["w1"] },
                new BackendSpec { Name = "r" },
            ],
            Links = [new LinkSpec { From = "w1", To = "ghost" }],
            Faults = [new DropIdleFlowsFault { At = S(1), Link = "w1-r" }],
        };
        var error = Assert.Throws<SpecException>(() => SimulationRun.Execute(spec, new RecordingSink()));
        var problems = error.Problems.Select(p => p.ToString()).ToList();
        Assert.Contains("duration: must be positive", problems);
        Assert.Contains("sources.a.count: must not be negative", problems);
        Assert.Contains("sources.a.to: no component named 'nowhere'", problems);
        Assert.Contains("components.r: the name is used twice", problems);
        Assert.Contains("components.w1.endpoints[0].remote_timeout: must not be negative", problems);
        Assert.Contains("components.r.conn_limit: must not be negative (0 means no limit)", problems);
        Assert.Contains("components.w1: forwarding loops back to this writer", problems);
        Assert.Contains("links[0].to: no component named 'ghost'", problems);
        Assert.Contains("faults[0].link: 'w1-r' is not a link id (from->to)", problems);
    }

    [Fact]
    public void Endpoint_urls_name_their_component_by_host()
    {
        Assert.Equal("r", EndpointUrl.TargetName("http://r:8080/base"));
        Assert.Equal("r", EndpointUrl.TargetName("https://r"));
        Assert.Equal("r", EndpointUrl.TargetName("r"));
        Assert.True(EndpointUrl.IsTls("HTTPS://r"));
    }
}
