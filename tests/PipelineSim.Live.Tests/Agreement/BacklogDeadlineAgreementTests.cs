using PipelineSim.Analysis.Comparison;
using PipelineSim.Core.Records;
using PipelineSim.Live.Harness;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Model;
using PipelineSim.Scenarios;

namespace PipelineSim.Live.Tests.Agreement;

/// <summary>
/// A push that waits 25 s in the accept backlog behind <c>conn_limit: 1</c> (Scenarios/backlog-deadline-small.yaml),
/// simulated and live with the same seed. Both drivers read its request when its connection is accepted and count its
/// <c>Connect-Timeout-Ms</c> from there, as Go does (Core's <see cref="Core.Server.RequestRead"/>): the deadline the
/// receiver hands to w2 is the same in both, and 25 s later than the one the waiter's writer gave it.
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public class BacklogDeadlineAgreementTests
{
    private const double TimeScale = 0.1;

    [Fact]
    public async Task Both_drivers_count_a_backlogged_requests_timeout_from_its_accept()
    {
        var loaded = ScenarioLoader.Load(Path.Combine(AppContext.BaseDirectory, "Scenarios", "backlog-deadline-small.yaml"));
        Assert.True(loaded.IsOk, loaded.IsOk ? "" : string.Join("\n", loaded.Error));
        var spec = loaded.Value.Pipeline;

        var simulated = new RecordingSink();
        var simulatedOutcomes = new PushOutcomes();
        SimulationRun.Execute(spec, new TeeRecordSink(simulated, simulatedOutcomes));
        var live = new RecordingSink();
        var liveOutcomes = new PushOutcomes();
        var run = await LiveScenarioRun.RunAsync(spec, new LiveScenarioOptions { TimeScale = TimeScale }, new TeeRecordSink(live, liveOutcomes));
        var options = ComparisonOptions.ForLiveRun(run.Duration, TimeScale, run.WorstTimerLateness);
        var comparison = RunComparison.Compare(simulatedOutcomes.Pushes, liveOutcomes.Pushes, options);

        Assert.True(comparison.Agrees, string.Join("\n", comparison.Disagreements()));
        Assert.All(comparison.Endpoints, e => Assert.Equal((0, 0), (e.Simulated.LeftOut + e.Live.LeftOut, e.PairsDiffering)));
        // The deadline each forwarded push ran under agrees within the slack the comparison allows latencies (the live
        // run's timer lateness in scenario time): the waiter's counts from the accept at about 30 s in both.
        var slack = options.Tolerance.Absolute;
        foreach (string source in new[] { "holder", "waiter" })
        {
            var fromSimulation = Forwarded(simulated, source).ParentDeadline.When.SinceStart;
            var fromLive = Forwarded(live, source).ParentDeadline.When.SinceStart;
            Assert.True((fromLive - fromSimulation).Duration() <= slack,
                $"{source}: live {fromLive.TotalSeconds:0.000} s, simulated {fromSimulation.TotalSeconds:0.000} s, slack {slack.TotalSeconds:0.000} s");
        }
        // And that is the backlog's wait later than the deadline the waiter's own writer gave the request.
        var waiterOwn = Assert.Single(live.Attempts, a => a.Writer == "w1" && a.Start.SinceStart >= TimeSpan.FromSeconds(5)).Deadline.When;
        Assert.InRange((Forwarded(live, "waiter").ParentDeadline.When - waiterOwn).TotalSeconds, 25 - slack.TotalSeconds, 25.1 + slack.TotalSeconds);
    }

    private static PushRecord Forwarded(RecordingSink records, string source) =>
        Assert.Single(records.Pushes, p => p.Writer == "w2" && p.Source == source && p.Result == PushResult.Delivered);
}
