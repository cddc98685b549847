using PipelineSim.Analysis.Planning;
using PipelineSim.Analysis.Queueing;

namespace PipelineSim.Analysis.Tests.Planning;

public class AnalyticEstimateTests
{
    [Fact]
    public void Clients_that_hold_connections_need_a_slot_each_shared_over_the_replicas()
    {
        var holding = new ConnectionHolding(Clients: 1001, HoldingPushRate: 1001 / 15.0, OtherPushRate: 0, OtherIdleHoldSeconds: 0);
        var estimate = AnalyticEstimate.Compute(holding, replicas: 2, arrivalRate: 66.7, serviceTime: 0.7, waitTarget: 0.001, acceptBacklog: 4096);
        Assert.Equal(ConnectionRegime.KeepAliveHeld, estimate.Regime);
        Assert.Equal(501, estimate.HeldPerInstance);
        Assert.Equal(501, estimate.Slots);
        // The load alone, A = 33.35/s x 0.7 s = 23.3 erlangs per instance, would ask for far fewer.
        Assert.Equal(Erlang.ServersForWait(33.35 * 0.7, 0.001), estimate.ErlangSlotsForAllLoad);
        Assert.InRange(estimate.ErlangSlotsForAllLoad, 24, 60);
    }

    [Fact]
    public void Without_held_connections_slots_follow_the_load_with_the_idle_timeout_in_the_hold_time()
    {
        // 600 agents pushing every 150 s, past the 120 s idle timeout: each request holds its slot 0.7 s + 120 s.
        var holding = new ConnectionHolding(0, 0, OtherPushRate: 4, OtherIdleHoldSeconds: 120);
        var estimate = AnalyticEstimate.Compute(holding, 1, arrivalRate: 4, serviceTime: 0.7, waitTarget: 0.01, acceptBacklog: 4096);
        Assert.Equal(ConnectionRegime.LoadDriven, estimate.Regime);
        Assert.Equal(120.7, estimate.HoldTime, 9);
        Assert.Equal(4 * 120.7, estimate.LoadDrivenLoad, 9);
        Assert.Equal(Erlang.ServersForWait(4 * 120.7, 0.01), estimate.Slots);
        Assert.InRange(estimate.Slots, 483, 560);
    }

    [Fact]
    public void Mixed_clients_add_the_held_connections_to_the_others_slots()
    {
        var holding = new ConnectionHolding(Clients: 100, HoldingPushRate: 10, OtherPushRate: 10, OtherIdleHoldSeconds: 0);
        var estimate = AnalyticEstimate.Compute(holding, 1, arrivalRate: 20, serviceTime: 1, waitTarget: 0.01, acceptBacklog: 10);
        Assert.Equal(ConnectionRegime.Mixed, estimate.Regime);
        Assert.Equal(10, estimate.LoadDrivenLoad, 9); // half the requests, 1 s each
        Assert.Equal(100 + Erlang.ServersForWait(10, 0.01), estimate.Slots);
        Assert.Equal(FiniteQueue.Solve(estimate.ErlangSlots, estimate.ErlangSlots + 10, 10, TimeSpan.FromSeconds(1)).BlockingProbability,
            estimate.SynDropProbability);
    }

    [Theory]
    [InlineData(0.5, 0.1)]
    [InlineData(8.0, 0.01)]
    [InlineData(482.8, 0.01)]
    [InlineData(5000.0, 0.001)]
    public void Servers_for_wait_is_the_fewest_servers_whose_erlang_c_meets_the_target(double load, double target)
    {
        int c = Erlang.ServersForWait(load, target);
        Assert.True(Erlang.C(c, load) <= target);
        Assert.True(c - 1 < 1 || Erlang.C(c - 1, load) > target);
    }

    [Fact]
    public void No_load_needs_no_servers() => Assert.Equal(0, Erlang.ServersForWait(0, 0.01));
}
