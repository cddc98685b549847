using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Spec;
using static PipelineSim.Model.Tests.Pipelines;

namespace PipelineSim.Model.Tests;

public class Http2AndNetworkTests
{
    /// <summary>Twenty agents sharing one writer straight to Pyroscope.</summary>
    private static PipelineSpec Shared(string url, IReadOnlyList<FaultSpec>? faults = null, TimeSpan? duration = null, LinkSpec? link = null) => new()
    {
        Name = "shared",
        Duration = duration ?? M(5),
        Seed = 9,
        Sources = [new SourceSpec { Name = "agents", Count = 20, Writer = WriterSharing.Shared, To = "w" }],
        Components = [Writer("w", url), Pyroscope()],
        Links = link is null ? [] : [link],
        Faults = faults ?? [],
    };

    [Fact]
    public void Http1_opens_a_connection_per_concurrent_request_and_http2_multiplexes_them_on_one()
    {
        var h1 = SimulationRun.Execute(Shared("http://pyroscope:4040"), new RecordingSink());
        var h2 = SimulationRun.Execute(Shared("https://pyroscope:4040"), new RecordingSink());
        Assert.True(h1.Backend("pyroscope").PeakConnections > 1);
        Assert.Equal(1, h2.Backend("pyroscope").PeakConnections);
        Assert.Equal(0, h2.Writer("w").Failed);
    }

    [Fact]
    public void A_dead_http2_connection_hangs_every_request_until_the_ping_health_check_closes_it()
    {
        var drop = new DropIdleFlowsFault { At = S(120), Link = "w->pyroscope" };
        var sink = new RecordingSink();
        // Idle at 120 s: the one connection is dropped between pushes (agents push at 0-15 s phases, 0.7 s each).
        var spec = Shared("https://pyroscope:4040", [drop]) with
        {
            Sources = [new SourceSpec { Name = "agents", Count = 20, Writer = WriterSharing.Shared, To = "w", PhaseJitter = S(1) }],
        };
        SimulationRun.Execute(spec, sink);
        var hung = sink.Attempts.Where(a => a.Code != ConnectCode.Ok).ToList();
        // Unlike HTTP/1.1 (one timed-out request per dead connection), every stream on it hangs, for a whole read-idle
        // period plus the ping timeout (60 s + 15 s) after the last frame, then the connection is closed.
        Assert.True(hung.Count > 20, hung.Count.ToString());
        Assert.All(hung, a => Assert.True(a.Reused));
        long deadConnection = hung[0].ConnectionId;
        Assert.All(hung, a => Assert.Equal(deadConnection, a.ConnectionId));
        var lastOnDead = sink.Attempts.Where(a => a.ConnectionId == deadConnection).Max(a => a.Start);
        Assert.InRange(lastOnDead.SinceStart, S(120), S(120) + S(75));
        Assert.Contains(sink.Attempts, a => a.Code == ConnectCode.Ok && a.ConnectionId != deadConnection && a.Start > lastOnDead);
    }

    [Fact]
    public void A_partition_delays_packets_until_it_heals_and_tcp_retransmits()
    {
        var cut = new PartitionFault { At = M(2), Duration = S(20), Link = "w->pyroscope" };
        var sink = new RecordingSink();
        var result = SimulationRun.Execute(Shared("http://pyroscope:4040", [cut]), sink);
        var failed = sink.Attempts.Where(a => a.Code != ConnectCode.Ok).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, a => Assert.Equal(ConnectCode.DeadlineExceeded, a.Code));
        Assert.All(failed, a => Assert.InRange(a.Start.SinceStart, M(2) - S(1), M(2) + S(20)));
        Assert.Equal(0, result.Writer("w").Failed);
        // Requests sent during the cut are not lost: they reach the backend after it heals (retransmitted).
        Assert.True(result.Backend("pyroscope").Requests > result.Writer("w").Delivered);
    }

    [Fact]
    public void Random_breaks_hang_requests_on_the_broken_connections()
    {
        var breaks = new RandomLinkBreaksFault { Link = "w->pyroscope", RatePerConnectionHour = 30 };
        var sink = new RecordingSink();
        SimulationRun.Execute(Shared("http://pyroscope:4040", [breaks], duration: M(30)), sink);
        var hung = sink.Attempts.Where(a => a.Code == ConnectCode.DeadlineExceeded).ToList();
        Assert.NotEmpty(hung);
        Assert.All(hung, a => Assert.Equal(S(10), a.Latency));
        var none = SimulationRun.Execute(Shared("http://pyroscope:4040", duration: M(30)), new RecordingSink());
        Assert.Equal(none.Writer("w").Pushes, none.Writer("w").Attempts + none.Writer("w").InFlight);
    }

    [Fact]
    public void Link_rtt_shows_in_the_latency_of_new_and_reused_connections()
    {
        var spec = Shared("http://pyroscope:4040", link: new LinkSpec { From = "w", To = "pyroscope", Rtt = TimeSpan.FromMilliseconds(100) }) with
        {
            Components = [Writer("w", "http://pyroscope:4040"), Pyroscope() with { Latency = Distributions.Constant(0.5) }],
        };
        var sink = new RecordingSink();
        SimulationRun.Execute(spec, sink);
        // A reused connection costs one round trip on top of the service time; a new one a second (the handshake).
        Assert.All(sink.Attempts.Where(a => a.Reused), a => Assert.Equal(S(0.6), a.Latency));
        Assert.All(sink.Attempts.Where(a => !a.Reused), a => Assert.Equal(S(0.7), a.Latency));
    }

    [Fact]
    public void Tls_costs_one_more_round_trip_on_a_new_connection()
    {
        var spec = Shared("https://pyroscope:4040", link: new LinkSpec { From = "w", To = "pyroscope", Rtt = TimeSpan.FromMilliseconds(100) }) with
        {
            Components = [Writer("w", "https://pyroscope:4040", e => e with { EnableHttp2 = false }), Pyroscope() with { Latency = Distributions.Constant(0.5) }],
        };
        var sink = new RecordingSink();
        SimulationRun.Execute(spec, sink);
        Assert.All(sink.Attempts.Where(a => !a.Reused), a => Assert.Equal(S(0.8), a.Latency));
    }
}

public class TransportOptionTests
{
    [Fact]
    public void Disabling_keep_alives_dials_a_connection_for_every_request()
    {
        var spec = new PipelineSpec
        {
            Duration = M(3),
            Sources = [new SourceSpec { Name = "agents", Count = 5, To = "w" }],
            Components =
            [
                Writer("w", "http://pyroscope:4040", e => e with { Transport = e.Transport with { DisableKeepAlives = true } }),
                Pyroscope(),
            ],
        };
        var sink = new RecordingSink();
        var result = SimulationRun.Execute(spec, sink);
        Assert.All(sink.Attempts, a => Assert.False(a.Reused));
        Assert.Equal(sink.Attempts.Count, result.Backend("pyroscope").Requests);
        Assert.Equal(sink.Attempts.Count, sink.Attempts.Select(a => a.ConnectionId).Distinct().Count());
    }

    [Fact]
    public void A_zero_remote_timeout_fails_every_attempt_before_it_is_sent_as_alloy_does()
    {
        // Alloy accepts remote_timeout = "0s"; each attempt's context.WithTimeout(ctx, 0) is done at once, so Go fails
        // the request with deadline_exceeded before dialing, and the backoff retries until max_backoff_retries.
        var spec = new PipelineSpec
        {
            Duration = M(1),
            Sources = [new SourceSpec { Name = "agents", Count = 3, To = "w" }],
            Components = [Writer("w", "http://pyroscope:4040", e => e with { RemoteTimeout = TimeSpan.Zero, MaxBackoffRetries = 2 }), Pyroscope()],
        };
        var sink = new RecordingSink();
        var result = SimulationRun.Execute(spec, sink);
        Assert.NotEmpty(sink.Pushes);
        Assert.All(sink.Pushes.Where(p => p.Result != PushResult.InFlight), p =>
        {
            Assert.Equal(PushResult.Failed, p.Result);
            Assert.Equal(2, p.Attempts);
        });
        Assert.All(sink.Attempts, a => Assert.Equal((ConnectCode.DeadlineExceeded, -1L), (a.Code, a.ConnectionId)));
        Assert.Equal(0, result.Backend("pyroscope").Requests);
    }
}
