using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Spec;
using static PipelineSim.Model.Tests.Pipelines;

namespace PipelineSim.Model.Tests;

/// <summary>The guide's "connection limit errors": LimitListener at conn_limit, the accept backlog, SYN drops.</summary>
public class ConnectionLimitTests
{
    [Fact]
    public void More_clients_than_the_limit_pin_the_gauge_fill_the_backlog_and_fail_with_deadline_exceeded()
    {
        var sink = new RecordingSink();
        var result = SimulationRun.Execute(ConnLimit(agents: 200, connLimit: 100, backlog: 64), sink);
        var r = result.Receiver("r");

        Assert.Equal(100, r.PeakAcceptedConnections);
        Assert.True(r.TimeAtLimit > M(9), r.TimeAtLimit.ToString());
        Assert.Equal(65, r.PeakAcceptBacklog); // Linux's accept queue holds the backlog + 1
        Assert.Equal(65, r.AcceptBacklogCapacity);
        Assert.True(r.SynDrops > 0);
        // Accepted connections are keep-alive ones, reused every 15 s: they never leave, nobody else gets in.
        Assert.Equal(100, r.ConnectionsAccepted);

        var w1 = result.Writer("w1");
        Assert.True(w1.Failed > 0);
        Assert.Equal(w1.Failed, w1.FailedWith("deadline_exceeded"));
        Assert.All(sink.AttemptsOf("w1").Where(a => a.Code != ConnectCode.Ok), a => Assert.Equal(ConnectCode.DeadlineExceeded, a.Code));
        // Failed pushes used all ten attempts (the default max_backoff_retries) with no caller deadline.
        Assert.All(sink.PushesOf("w1").Where(p => p.Result == PushResult.Failed), p => Assert.Equal(10, p.Attempts));

        // The gauge never exceeds the limit and sits at it once the first agents have connected.
        var gauge = sink.Series(Core.Records.MetricNames.ReceiveTcpConnections, "component_id=\"r\",protocol=\"http\"").ToList();
        Assert.All(gauge, s => Assert.True(s.Value <= 100));
        Assert.All(gauge.Where(s => s.Time.TotalSeconds >= 30), s => Assert.Equal(100, s.Value));
        Assert.All(sink.Series(Core.Records.MetricNames.ReceiveTcpConnectionsLimit, "component_id=\"r\",protocol=\"http\""), s => Assert.Equal(100, s.Value));
    }

    [Fact]
    public void Raising_the_limit_to_32768_is_clean()
    {
        var result = SimulationRun.Execute(ConnLimit(agents: 200, connLimit: 32768), new RecordingSink());
        var r = result.Receiver("r");
        Assert.Equal(200, r.PeakAcceptedConnections);
        Assert.Equal(0, r.SynDrops);
        Assert.Equal(0, r.PeakAcceptBacklog);
        Assert.Equal(0, result.Writer("w1").Failed);
        Assert.Equal(result.Writer("w1").Pushes - result.Writer("w1").InFlight, result.Writer("w1").Attempts);
    }

    [Fact]
    public void Scaling_out_behind_an_L4_balancer_is_clean_and_splits_the_connections()
    {
        var result = SimulationRun.Execute(ConnLimit(agents: 150, connLimit: 100, receivers: 2, balancer: LoadBalancerLayer.L4), new RecordingSink());
        Assert.Equal(0, result.Writer("w1").Failed);
        foreach (var receiver in result.Receivers)
        {
            Assert.Equal(75, receiver.PeakAcceptedConnections);
            Assert.Equal(0, receiver.SynDrops);
        }
    }

    [Fact]
    public void Idle_keep_alive_connections_hold_slots_even_at_a_low_request_rate()
    {
        // 150 agents pushing once a minute: about 2.5 requests a second of under a second each, so a handful in
        // flight; yet each connection stays open (and holds a slot) for the 120 s server idle timeout.
        var held = SimulationRun.Execute(ConnLimit(agents: 150, connLimit: 100, interval: S(60)), new RecordingSink());
        var r = held.Receiver("r");
        Assert.Equal(100, r.PeakAcceptedConnections);
        Assert.True(r.SynDrops > 0 || r.PeakAcceptBacklog > 0);
        Assert.True(held.Writer("w1").Endpoints[0].AttemptsByCode.GetValueOrDefault("deadline_exceeded") > 0);
        Assert.True(r.MeanAcceptedConnections > 95);

        // With a server idle timeout shorter than the push interval, connections close between pushes and the
        // same load fits: about 2.5/s x (1 s + 30 s idle) = 78 slots.
        var released = SimulationRun.Execute(ConnLimit(agents: 150, connLimit: 100, interval: S(60), serverIdle: S(30)), new RecordingSink());
        Assert.Equal(0, released.Writer("w1").Failed);
        Assert.Equal(0, released.Receiver("r").SynDrops);
        Assert.InRange(released.Receiver("r").MeanAcceptedConnections, 60, 95);
    }
}

public class LoadBalancerTests
{
    private static PipelineSpec OneAgentBehind(LoadBalancerLayer layer, BalancePolicy policy = BalancePolicy.RoundRobin) =>
        ConnLimit(agents: 1, connLimit: 100, receivers: 2, balancer: layer) with
        {
            Components = [.. ConnLimit(agents: 1, connLimit: 100, receivers: 2, balancer: layer).Components
                .Select(c => c is LoadBalancerSpec lb ? lb with { Policy = policy } : c)],
        };

    [Fact]
    public void L4_pins_a_connection_so_one_agent_loads_one_receiver()
    {
        var result = SimulationRun.Execute(OneAgentBehind(LoadBalancerLayer.L4), new RecordingSink());
        var handled = result.Receivers.Select(r => r.RequestsHandled).OrderBy(n => n).ToArray();
        Assert.Equal(0, handled[0]);
        Assert.Equal(result.Writer("w1").Pushes, handled[1] + result.Writer("w1").InFlight);
        Assert.Equal(1, result.Receivers.Sum(r => r.ConnectionsAccepted));
    }

    [Fact]
    public void L7_balances_each_request_so_one_agent_loads_both()
    {
        var result = SimulationRun.Execute(OneAgentBehind(LoadBalancerLayer.L7), new RecordingSink());
        var handled = result.Receivers.Select(r => r.RequestsHandled).ToArray();
        Assert.InRange(Math.Abs(handled[0] - handled[1]), 0, 1);
        Assert.True(handled[0] > 10);
        Assert.Equal(0, result.Writer("w1").Failed);
    }

    [Fact]
    public void L4_least_connections_fills_the_emptier_target()
    {
        var spec = ConnLimit(agents: 10, connLimit: 100, receivers: 3, balancer: LoadBalancerLayer.L4);
        spec = spec with { Components = [.. spec.Components.Select(c => c is LoadBalancerSpec lb ? lb with { Policy = BalancePolicy.LeastConnections } : c)] };
        var result = SimulationRun.Execute(spec, new RecordingSink());
        var peaks = result.Receivers.Select(r => r.PeakAcceptedConnections).OrderBy(n => n).ToArray();
        Assert.Equal([3, 3, 4], peaks);
    }
}
