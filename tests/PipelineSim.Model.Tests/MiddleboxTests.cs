using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Spec;
using static PipelineSim.Model.Tests.Pipelines;

namespace PipelineSim.Model.Tests;

/// <summary>
/// A NAT or load balancer that forgets idle flows, between one agent's writer and Pyroscope. The backend keeps idle
/// connections for 10 min so that the middlebox, not the server, is what ends them.
/// </summary>
public class MiddleboxTests
{
    private static readonly TcpKeepAliveOptions Off = new() { Enabled = false };

    private static PipelineSpec Nat(TimeSpan idleTimeout, MiddleboxMode mode, bool clientKeepAlive, bool serverKeepAlive = false,
        TimeSpan? interval = null, IReadOnlyList<FaultSpec>? faults = null) => new()
    {
        Name = "nat",
        Duration = M(30),
        Sources = [new SourceSpec { Name = "agent", PushInterval = interval ?? S(270), PhaseJitter = S(1), To = "w" }],
        Components =
        [
            Writer("w", "http://pyroscope:4040", e => e with
            {
                Transport = e.Transport with { KeepAlive = clientKeepAlive ? TcpKeepAliveOptions.GoDefault : Off },
            }),
            Pyroscope() with { ServerIdleTimeout = M(10), KeepAlive = serverKeepAlive ? TcpKeepAliveOptions.GoDefault : Off },
        ],
        Links = [new LinkSpec { From = "w", To = "pyroscope", Rtt = TimeSpan.FromMilliseconds(10), Middlebox = new MiddleboxSpec(idleTimeout, mode) }],
        Faults = faults ?? [],
    };

    private static (SimulationResult, List<AttemptRecord>) Run(PipelineSpec spec)
    {
        var sink = new RecordingSink();
        return (SimulationRun.Execute(spec, sink), sink.Attempts);
    }

    [Fact]
    public void A_silent_4_minute_middlebox_makes_a_reused_connection_hang_until_the_deadline()
    {
        var (result, attempts) = Run(Nat(M(4), MiddleboxMode.Silent, clientKeepAlive: false));
        var failed = attempts.Where(a => a.Code != ConnectCode.Ok).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, a =>
        {
            Assert.Equal(ConnectCode.DeadlineExceeded, a.Code);
            Assert.True(a.Reused);
            Assert.InRange(a.IdleBefore, M(4), M(5)); // idle past the middlebox, not yet past Go's 5 min pool timeout
            Assert.Equal(S(10), a.Latency);
        });
        // Go discards the connection after the timeout; the retry dials a new one and gets through.
        Assert.All(failed, a => Assert.Contains(attempts, b => b.PushId == a.PushId && b.Number == 2 && b.Code == ConnectCode.Ok && !b.Reused));
        Assert.Equal(0, result.Writer("w").Failed);
    }

    [Fact]
    public void An_rst_middlebox_fails_the_reused_connection_fast_with_unavailable()
    {
        var (_, attempts) = Run(Nat(M(4), MiddleboxMode.Rst, clientKeepAlive: false));
        var failed = attempts.Where(a => a.Code != ConnectCode.Ok).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, a =>
        {
            Assert.Equal(ConnectCode.Unavailable, a.Code);
            Assert.Contains("connection reset by peer", a.Error);
            Assert.True(a.Reused);
            Assert.True(a.Latency <= TimeSpan.FromMilliseconds(10), a.Latency.ToString()); // one round trip
        });
    }

    [Theory]
    [InlineData(MiddleboxMode.Silent)]
    [InlineData(MiddleboxMode.Rst)]
    public void Client_keep_alive_probes_every_15_s_keep_the_flow_alive(MiddleboxMode mode)
    {
        var (_, attempts) = Run(Nat(M(4), mode, clientKeepAlive: true));
        Assert.All(attempts, a => Assert.Equal(ConnectCode.Ok, a.Code));
        Assert.Contains(attempts, a => a.Reused && a.IdleBefore > M(4));
    }

    [Fact]
    public void The_servers_own_keep_alive_probes_also_keep_it_alive()
    {
        // Go listeners probe accepted connections with the dialer's defaults; the client's being off does not matter.
        var (_, attempts) = Run(Nat(M(4), MiddleboxMode.Silent, clientKeepAlive: false, serverKeepAlive: true));
        Assert.All(attempts, a => Assert.Equal(ConnectCode.Ok, a.Code));
    }

    [Fact]
    public void Probes_slower_than_the_middlebox_do_not_help()
    {
        var spec = Nat(S(10), MiddleboxMode.Silent, clientKeepAlive: true, interval: S(60));
        var (_, attempts) = Run(spec);
        // Keep-alive starts after 15 s idle, the middlebox forgets after 10 s: the first probe is already too late,
        // and the unanswered probes end the connection only at 15 s + 9 x 15 s = 150 s; the next push, at 60 s,
        // finds it in the pool, dead.
        Assert.Contains(attempts, a => a.Code == ConnectCode.DeadlineExceeded && a.Reused);
    }

    [Fact]
    public void An_aws_style_350_s_rst_timeout_never_bites_because_go_drops_idle_connections_at_5_minutes()
    {
        foreach (var interval in new[] { S(270), S(400) })
        {
            var (_, attempts) = Run(Nat(S(350), MiddleboxMode.Rst, clientKeepAlive: false, interval: interval));
            Assert.All(attempts, a => Assert.Equal(ConnectCode.Ok, a.Code));
            if (interval > M(5)) Assert.All(attempts, a => Assert.False(a.Reused));
        }
    }

    [Fact]
    public void Keep_alive_finds_a_dropped_idle_flow_and_closes_it_before_the_next_push()
    {
        // The agent pushes at about 0, 200, 400 s...; at 50 s every idle flow on the link is dropped silently.
        var drop = new DropIdleFlowsFault { At = S(50), Link = "w->pyroscope" };
        var (_, withProbes) = Run(Nat(M(60), MiddleboxMode.Silent, clientKeepAlive: true, interval: S(200), faults: [drop]));
        // Probes from 15 s after the last packet, every 15 s while answered; the first unanswered one is at 60 s and
        // nine more unanswered ones, 15 s apart, end the connection at 195 s: the push at 200 s dials afresh.
        Assert.All(withProbes, a => Assert.Equal(ConnectCode.Ok, a.Code));
        Assert.False(withProbes.Single(a => a.Start.SinceStart > S(199) && a.Start.SinceStart < S(202)).Reused);

        var (_, without) = Run(Nat(M(60), MiddleboxMode.Silent, clientKeepAlive: false, interval: S(200), faults: [drop]));
        var hung = without.Single(a => a.Start.SinceStart > S(199) && a.Start.SinceStart < S(202));
        Assert.Equal(ConnectCode.DeadlineExceeded, hung.Code);
        Assert.True(hung.Reused);
    }
}
