using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Kernel;
using PipelineSim.Spec;
using static PipelineSim.Model.Tests.Pipelines;

namespace PipelineSim.Model.Tests;

public class ReceiverAndBackendTests
{
    /// <summary>agents -> w1 -> r -> (wa -> a, wb -> b): receive_http fanning out to two targets.</summary>
    private static PipelineSpec FanOut(BackendSpec b) => new()
    {
        Name = "fan-out",
        Duration = M(10),
        Seed = 3,
        Sources = [new SourceSpec { Name = "agents", Count = 10, To = "w1" }],
        Components =
        [
            Writer("w1", "http://r:8080"),
            new ReceiverSpec { Name = "r", ForwardTo = ["wa", "wb"] },
            Writer("wa", "http://a:4040"),
            Writer("wb", "http://b:4040"),
            Pyroscope("a"),
            b,
        ],
    };

    [Fact]
    public void A_failing_target_makes_the_receiver_answer_internal_and_the_retry_duplicates_at_the_other()
    {
        var sink = new RecordingSink();
        var failing = Pyroscope("b") with { Errors = [new ErrorRateSpec(ConnectCode.InvalidArgument, 0.5)] };
        var result = SimulationRun.Execute(FanOut(failing), sink);

        // invalid_argument is not retried by wb, so r answers 500 internal at once and w1 retries the whole request.
        Assert.True(result.Writer("wb").FailedWith("invalid_argument") > 0);
        Assert.Equal(1, result.Writer("wb").MaxAttempts);
        var internalAttempts = sink.AttemptsOf("w1").Where(a => a.Code == ConnectCode.Internal).ToList();
        Assert.NotEmpty(internalAttempts);
        Assert.All(internalAttempts, a => Assert.Equal("internal: unable to append series to appendable", a.Error));
        // Every retry re-sent the series to a, which had stored it already.
        Assert.True(result.Conservation.Duplicates > 0);
        Assert.True(result.Backend("a").Ingested > result.Backend("b").Ingested);
        Assert.Equal(0, result.Writer("w1").Failed); // ten attempts at 50 % each: all got through
    }

    [Fact]
    public void A_handler_slower_than_the_server_write_timeout_cannot_deliver_its_answer()
    {
        var sink = new RecordingSink();
        var chain = TimeoutChain(w1Timeout: S(60), w2Timeout: S(60), retries: 2, agents: 1, dropAt: M(100), duration: M(3));
        var spec = chain with
        {
            Sources = [chain.Sources[0] with { ProfilesPerPush = 1 }],
            Components = [.. TimeoutChain(w1Timeout: S(60), w2Timeout: S(60), retries: 2).Components
                .Select(c => c is BackendSpec b ? b with { Latency = Distributions.Constant(35), ServerWriteTimeout = M(2) } : c)],
        };
        var result = SimulationRun.Execute(spec, sink);

        var first = sink.AttemptsOf("w1").First();
        Assert.Equal(ConnectCode.Unavailable, first.Code);
        Assert.Equal("unavailable: unexpected EOF", first.Error);
        Assert.InRange(first.Latency, S(35), S(35.1));
        // The backend did store it, and again on the retry: the profiles arrive twice while w1 reports a drop.
        Assert.True(result.Writer("w2").Delivered >= 2);
        Assert.True(result.Writer("w1").Failed >= 1);
        Assert.True(result.Conservation.Duplicates >= 1);
    }

    /// <summary>Agents pushing 80 KiB (two 40 KiB profiles) and 40 KiB through a receiver whose body limit is 64 KiB.</summary>
    internal static PipelineSpec BodyLimit() => new()
    {
        Name = "body-limit",
        Duration = M(1),
        Seed = 9,
        Sources =
        [
            new SourceSpec { Name = "big", Count = 2, ProfilesPerPush = 2, ProfileBytes = Distributions.Constant(40 * 1024), To = "w1" },
            new SourceSpec { Name = "small", Count = 3, ProfileBytes = Distributions.Constant(40 * 1024), To = "w1" },
        ],
        Components =
        [
            Writer("w1", "http://r:8080", e => e with { MaxBackoffRetries = 2 }),
            new ReceiverSpec { Name = "r", ForwardTo = ["w2"], MaxRequestBodyBytes = 64 * 1024 },
            Writer("w2", "http://pyroscope:4040"),
            Pyroscope(),
        ],
    };

    [Fact]
    public void A_push_over_the_receivers_body_limit_is_refused_resource_exhausted_and_never_forwarded()
    {
        var sink = new RecordingSink();
        var result = SimulationRun.Execute(BodyLimit(), sink);

        var big = sink.PushesOf("w1").Where(p => p.Source.StartsWith("big-", StringComparison.Ordinal) && p.Result != PushResult.InFlight).ToList();
        Assert.NotEmpty(big);
        // resource_exhausted is retried (retry_on_http_429), and refused again: every attempt, until the budget is spent.
        Assert.All(big, p => Assert.Equal((PushResult.Failed, ConnectCode.ResourceExhausted, 2), (p.Result, p.Code, p.Attempts)));
        var bigIds = big.Select(p => p.PushId).ToHashSet();
        Assert.All(sink.AttemptsOf("w1").Where(a => bigIds.Contains(a.PushId)),
            a => Assert.Equal("resource_exhausted: request body larger than 65536 bytes", a.Error));
        var small = sink.PushesOf("w1").Where(p => p.Source.StartsWith("small-", StringComparison.Ordinal) && p.Result != PushResult.InFlight).ToList();
        Assert.NotEmpty(small);
        Assert.All(small, p => Assert.Equal(PushResult.Delivered, p.Result));
        // Only the small pushes reached w2.
        Assert.NotEmpty(sink.PushesOf("w2"));
        Assert.DoesNotContain(sink.PushesOf("w2"), p => p.ParentPushId is long parent && bigIds.Contains(parent));
        Assert.Equal(result.Writer("w1").Failed, big.Count);
    }

    private static PipelineSpec Direct(BackendSpec backend, Func<WriteEndpointOptions, WriteEndpointOptions>? endpoint = null, int agents = 5,
        TimeSpan? duration = null) => new()
    {
        Name = "direct",
        Duration = duration ?? M(5),
        Seed = 5,
        Sources = [new SourceSpec { Name = "agents", Count = agents, To = "w" }],
        Components = [Writer("w", "http://pyroscope:4040", endpoint), backend],
    };

    [Fact]
    public void Rate_limited_pushes_get_resource_exhausted_and_are_retried_only_with_retry_on_http_429()
    {
        var limited = Pyroscope() with { RateLimit = new RateLimitSpec(Rate: 0.1, Burst: 2) };
        var sink = new RecordingSink();
        var retried = SimulationRun.Execute(Direct(limited), sink);
        Assert.Contains(sink.Attempts, a => a.Code == ConnectCode.ResourceExhausted && a.Error == "resource_exhausted: ingestion rate limit exceeded");
        Assert.True(retried.Writer("w").MaxAttempts > 1);

        var once = SimulationRun.Execute(Direct(limited, e => e with { RetryOnHttp429 = false }), new RecordingSink());
        Assert.Equal(1, once.Writer("w").MaxAttempts);
        Assert.True(once.Writer("w").FailedWith("resource_exhausted") > 0);
    }

    [Fact]
    public void A_full_backend_queue_answers_its_queue_full_code_at_once()
    {
        var tight = Pyroscope() with { Concurrency = 1, QueueCapacity = 0, Latency = Distributions.Constant(5) };
        var sink = new RecordingSink();
        SimulationRun.Execute(Direct(tight, agents: 5), sink);
        var rejected = sink.Attempts.Where(a => a.Code == ConnectCode.Unavailable).ToList();
        Assert.NotEmpty(rejected);
        Assert.All(rejected, a => Assert.True(a.Latency < S(0.01)));
    }

    /// <summary>
    /// One agent pushing every 15 s with a 2 s deadline at a backend serving one push for 40 s with one queue place:
    /// the push at +15 s queues and gives up at +17 s; the push at +30 s finds the queue empty and waits. (Before
    /// the fix the one that gave up kept its place, and the push at +30 s was answered unavailable at once.)
    /// </summary>
    [Fact]
    public void A_push_that_gave_up_while_queued_frees_its_place_for_the_next()
    {
        var backend = Pyroscope() with { Concurrency = 1, QueueCapacity = 1, Latency = Distributions.Constant(40) };
        var spec = Direct(backend, e => e with { RemoteTimeout = S(2), MaxBackoffRetries = 1 }, agents: 1, duration: M(3));
        var sink = new RecordingSink();
        var result = SimulationRun.Execute(spec, sink);

        Assert.True(sink.Attempts.Count >= 8);
        Assert.All(sink.Attempts, a => Assert.Equal(ConnectCode.DeadlineExceeded, a.Code));
        Assert.Equal(0, result.Backend("pyroscope").Rejected);
    }

    [Theory]
    [InlineData(OutageMode.Unavailable, ConnectCode.Unavailable)]
    [InlineData(OutageMode.Hang, ConnectCode.DeadlineExceeded)]
    [InlineData(OutageMode.Refuse, ConnectCode.Unavailable)]
    public void An_outage_window_fails_pushes_the_way_its_mode_says_and_ends(OutageMode mode, ConnectCode code)
    {
        var down = Pyroscope() with { Outages = [new OutageSpec(M(1), M(1), mode)] };
        var sink = new RecordingSink();
        var result = SimulationRun.Execute(Direct(down), sink);
        var failed = sink.Attempts.Where(a => a.Code != ConnectCode.Ok).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, a => Assert.Equal(code, a.Code));
        Assert.All(failed, a => Assert.InRange(a.Start.SinceStart, M(1) - S(1), M(2)));
        Assert.Contains(sink.Attempts, a => a.Code == ConnectCode.Ok && a.Start.SinceStart > M(2) + S(10));
        if (mode == OutageMode.Refuse) Assert.Contains(failed, a => a.Error!.Contains("connection refused"));
        Assert.Equal(0, result.Writer("w").Failed); // the backoff outlasts a one-minute outage
    }

    [Fact]
    public void The_backend_outage_fault_is_the_same_window()
    {
        var spec = Direct(Pyroscope()) with { Faults = [new BackendOutageFault { At = M(1), Duration = M(1), Backend = "pyroscope" }] };
        var sink = new RecordingSink();
        SimulationRun.Execute(spec, sink);
        Assert.Contains(sink.Attempts, a => a.Code == ConnectCode.Unavailable && a.Start.SinceStart >= M(1));
    }

    [Fact]
    public void A_receiver_restart_resets_its_connections_and_refuses_dials_while_down()
    {
        // At 121.9 s a push that started at 121.7 s is being forwarded.
        var spec = TimeoutChain(dropAt: M(100), duration: M(5)) with { Faults = [new RestartFault { At = S(121.9), Component = "r", Downtime = S(20) }] };
        var sink = new RecordingSink();
        var result = SimulationRun.Execute(spec, sink);
        var failed = sink.AttemptsOf("w1").Where(a => a.Code != ConnectCode.Ok).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, a => Assert.Equal(ConnectCode.Unavailable, a.Code));
        Assert.Contains(failed, a => a.Error!.Contains("connection refused"));
        Assert.All(failed, a => Assert.InRange(a.End.SinceStart, S(121.9), S(141.9)));
        Assert.Contains(failed, a => a.Error!.Contains("connection reset by peer") && a.End.SinceStart == S(121.9005));
        Assert.Equal(0, result.Writer("w1").Failed);
        // The receiver's forwarding of requests it held was canceled.
        Assert.Contains(sink.AttemptsOf("w2"), a => a.Code == ConnectCode.Canceled);
    }

    [Fact]
    public void The_receivers_in_flight_gauge_and_backend_gauges_are_sampled()
    {
        var sink = new RecordingSink();
        SimulationRun.Execute(TimeoutChain(dropAt: M(100), duration: M(2)), sink);
        Assert.Contains(sink.Samples, s => s.Name == MetricNames.ReceiveInflightRequests && s.Value > 0);
        Assert.Contains(sink.Samples, s => s.Name == MetricNames.BackendRequests && s.Labels == "component_id=\"pyroscope\",state=\"serving\"" && s.Value > 0);
        Assert.Contains(sink.Samples, s => s.Name == MetricNames.AcceptBacklog);
        Assert.Contains(sink.Samples, s => s.Name == MetricNames.SynDrops);
    }

    [Fact]
    public void A_writer_with_two_endpoints_pushes_to_both_and_fails_the_call_when_one_fails()
    {
        var sink = new RecordingSink();
        var spec = new PipelineSpec
        {
            Name = "two-endpoints",
            Duration = M(5),
            Seed = 5,
            Sources = [new SourceSpec { Name = "agents", Count = 5, To = "w1" }],
            Components =
            [
                Writer("w1", "http://r:8080"),
                new ReceiverSpec { Name = "r", ForwardTo = ["w2"] },
                new WriterSpec
                {
                    Name = "w2",
                    Options = new WriteOptions
                    {
                        Endpoints = [new WriteEndpointOptions { Url = "http://a:4040" }, new WriteEndpointOptions { Url = "http://b:4040" }],
                    },
                },
                Pyroscope("a"),
                Pyroscope("b") with { Errors = [new ErrorRateSpec(ConnectCode.InvalidArgument, 1.0)] },
            ],
        };
        SimulationRun.Execute(spec, sink);

        // Every forwarded series went to both endpoints, as separate pushes of the same parent.
        var atA = sink.PushesOf("w2").Where(p => p.Endpoint == "http://a:4040").ToList();
        var atB = sink.PushesOf("w2").Where(p => p.Endpoint == "http://b:4040").ToList();
        Assert.NotEmpty(atA);
        Assert.Equal(atA.Select(p => p.ParentPushId).Order(), atB.Select(p => p.ParentPushId).Order());
        Assert.All(atA, p => Assert.Equal(PushResult.Delivered, p.Result));
        Assert.All(atB, p => Assert.Equal(PushResult.Failed, p.Result));
        // One failed endpoint fails the whole Push, so the receiver answers internal and w1 never delivers.
        Assert.NotEmpty(sink.AttemptsOf("w1"));
        Assert.All(sink.AttemptsOf("w1"), a => Assert.Equal(ConnectCode.Internal, a.Code));
    }
}
