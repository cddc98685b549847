using PipelineSim.Core.Records;
using static PipelineSim.Model.Tests.Pipelines;

namespace PipelineSim.Model.Tests;

/// <summary>The time a connection waited in the accept backlog: a column of the attempt records and a histogram.</summary>
public class BacklogWaitTests
{
    [Fact]
    public void A_connection_that_waited_for_a_slot_carries_its_wait_on_the_attempt_that_dialed_it_and_in_the_histogram()
    {
        // 60 agents pushing every 15 s hold a connection each for the push and 5 s of server idle timeout after it:
        // about 24 slots wanted of 20, so connections queue in the backlog and are accepted as others close.
        var sink = new RecordingSink();
        var result = SimulationRun.Execute(ConnLimit(agents: 60, connLimit: 20, interval: S(15), serverIdle: S(5), duration: M(5)), sink);
        var r = result.Receiver("r");
        var attempts = sink.AttemptsOf("w1").ToList();

        var waited = attempts.Where(a => a.BacklogWait > TimeSpan.Zero).ToList();
        Assert.NotEmpty(waited);
        // Counted once per connection: on the attempt that dialed it, never on a reused one, and within the attempt.
        Assert.All(attempts.Where(a => a.Reused), a => Assert.Equal(TimeSpan.Zero, a.BacklogWait));
        Assert.All(waited, a => Assert.True(a.BacklogWait <= a.Latency, $"{a.BacklogWait} > {a.Latency}"));
        Assert.All(attempts, a => Assert.NotNull(a.BacklogWait));
        // Some of them got in (their attempt succeeded after the wait), so the wait ended with an accept.
        Assert.Contains(waited, a => a.Code == Core.Connect.ConnectCode.Ok);

        // The histogram observes every accepted connection once, with its wait.
        const string labels = "component_id=\"r\"";
        double count = sink.Series(MetricNames.AcceptBacklogWait + "_count", labels).Last().Value;
        Assert.Equal(r.ConnectionsAccepted, count);
        double atOnce = sink.Series(MetricNames.AcceptBacklogWait + "_bucket", "component_id=\"r\",le=\"0.005\"").Last().Value;
        Assert.True(atOnce < count, "some connections waited longer than 5 ms");
        double sum = sink.Series(MetricNames.AcceptBacklogWait + "_sum", labels).Last().Value;
        Assert.True(sum > 0);
        double inf = sink.Series(MetricNames.AcceptBacklogWait + "_bucket", "component_id=\"r\",le=\"+Inf\"").Last().Value;
        Assert.Equal(count, inf);
    }

    [Fact]
    public void Without_a_limit_no_connection_waits()
    {
        var sink = new RecordingSink();
        SimulationRun.Execute(ConnLimit(agents: 60, connLimit: 0, interval: S(15), duration: M(2)), sink);
        Assert.All(sink.Attempts, a => Assert.Equal(TimeSpan.Zero, a.BacklogWait));
        Assert.Equal(0, sink.Series(MetricNames.AcceptBacklogWait + "_sum", "component_id=\"r\"").Last().Value);
    }
}
