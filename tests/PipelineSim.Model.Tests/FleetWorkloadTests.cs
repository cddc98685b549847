using PipelineSim.Model.Workloads;

namespace PipelineSim.Model.Tests;

public class FleetWorkloadTests
{
    [Fact]
    public void The_speed_workload_is_a_clean_two_hop_fleet_behind_an_l4_balancer()
    {
        var sink = new RecordingSink();
        var result = SimulationRun.Execute(FleetWorkload.Spec(agents: 400, duration: TimeSpan.FromMinutes(5)), sink);
        Assert.Equal(400 * 20, result.Sources[0].Pushes); // every 15 s for 5 min
        Assert.Equal(0, result.Writer("w1").Failed + result.Writer("w2").Failed);
        Assert.Equal([200, 200], result.Receivers.Select(r => r.PeakAcceptedConnections));
        Assert.Equal(result.PushRecords, sink.Pushes.Count);
        Assert.Equal(result.AttemptRecords, sink.Attempts.Count);
        // Agents reuse their one keep-alive connection: after the first push, every attempt is on a pooled connection.
        Assert.Equal(400, sink.AttemptsOf("w1").Count(a => !a.Reused));
    }

    [Fact]
    public void Measuring_reports_what_it_simulated()
    {
        var m = FleetWorkload.Measure(agents: 100, duration: TimeSpan.FromMinutes(2));
        Assert.Equal(100 * 8, m.SourcePushes);
        Assert.Equal(2 * m.SourcePushes, m.PushRecords); // a w1 and a w2 push each, finished or in flight
        Assert.True(m.Events > 6 * m.SourcePushes);
        Assert.True(m.PushesPerSecond > 0);
    }

    [Theory]
    [InlineData(10_000, 2, 2048)]
    [InlineData(100_000, 8, 20_480)] // 100,000 connections under 80 % of 8 x 16,384
    [InlineData(1_000_000, 77, 204_800)]
    public void An_unsaturated_tier_sizes_receivers_and_backend_with_the_fleet(int agents, int receivers, int backend)
    {
        var tier = FleetTier.Unsaturated(agents);
        Assert.Equal(receivers, tier.Receivers);
        Assert.Equal(16_384, tier.ConnLimit);
        Assert.Equal(backend, tier.BackendConcurrency);
        Assert.True(agents <= 0.8 * tier.Receivers * tier.ConnLimit);
        Assert.Equal(backend, FleetWorkload.Spec(agents: 10, tier: tier).Components.OfType<Spec.BackendSpec>().Single().Concurrency);
    }
}
