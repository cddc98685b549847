using PipelineSim.Analysis.Comparison;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Live.Harness;
using PipelineSim.Model;
using PipelineSim.Scenarios;
using PipelineSim.Spec;

namespace PipelineSim.Live.Tests.Agreement;

/// <summary>
/// A burst of clients that gave up in the accept backlog (Scenarios/hung-up-burst-small.yaml), simulated and live with
/// the same seed. Both drivers read the same 30 requests after their clients hung up, and ask Core's
/// <see cref="Core.Server.HungUpClientRace"/> about each; they draw from different streams (the simulator in event
/// order, live one stream per request), so which requests are forwarded is the race's chance in each, and the counts
/// must agree as <see cref="RunComparison"/> judges chance. With a decoding handler the race has a certain outcome,
/// and then the two runs must match push for push.
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public class HungUpBurstAgreementTests
{
    private const double TimeScale = 0.1;
    private const int LateClients = 30;
    private const int HolderPushes = 2;

    [Fact]
    public async Task Both_drivers_read_every_hung_up_request_and_forward_a_share_the_race_allows()
    {
        var (simulated, live, comparison) = await RunBothAsync(Load());

        foreach (var (run, driver) in new[] { (simulated, "simulated"), (live, "live") })
        {
            Assert.True(run.Receiver.RequestsAfterHangUp == LateClients, $"{driver}: {run.Receiver.RequestsAfterHangUp} read after a hang-up");
            // Every duplicate reached the backend beside the holder's pushes; the rest failed at once with their context.
            Assert.Equal(HolderPushes + run.Receiver.DuplicateForwards, run.Count("w2", PushResult.Delivered, ConnectCode.Ok));
            Assert.Equal(LateClients - run.Receiver.DuplicateForwards, run.Count("w2", PushResult.Failed, ConnectCode.Canceled));
        }
        Assert.True(comparison.Agrees, string.Join("\n", comparison.Disagreements()));
        Assert.All(comparison.Endpoints, e => Assert.Equal(0, e.Simulated.LeftOut + e.Live.LeftOut));
    }

    [Fact]
    public async Task With_a_certain_race_the_two_runs_match_push_for_push()
    {
        // 5 ms of decoding against Go's 100 µs notice delay: the chance to forward is e^-50 of the base, in both drivers.
        var spec = Load();
        spec = spec with
        {
            Components = [.. spec.Components.Select(c => c is ReceiverSpec r ? r with { HandlerTime = Distributions.Constant(0.005) } : c)],
        };

        var (simulated, live, comparison) = await RunBothAsync(spec);

        Assert.Equal((LateClients, 0L), (simulated.Receiver.RequestsAfterHangUp, simulated.Receiver.DuplicateForwards));
        Assert.Equal((LateClients, 0L), (live.Receiver.RequestsAfterHangUp, live.Receiver.DuplicateForwards));
        Assert.Equal(LateClients, live.Count("w2", PushResult.Failed, ConnectCode.Canceled));
        Assert.True(comparison.Agrees, string.Join("\n", comparison.Disagreements()));
        Assert.All(comparison.Endpoints, e =>
        {
            Assert.Equal(0, e.Simulated.LeftOut + e.Live.LeftOut);
            Assert.Equal(0, e.PairsDiffering);
        });
    }

    private sealed record Side(ReceiverStats Receiver, IReadOnlyList<PushOutcome> Pushes)
    {
        public int Count(string writer, PushResult result, ConnectCode code) =>
            Pushes.Count(p => p.Writer == writer && p.Result == result && p.Code == code);
    }

    private static async Task<(Side Simulated, Side Live, RunComparison Comparison)> RunBothAsync(PipelineSpec spec)
    {
        var simulatedPushes = new PushOutcomes();
        var simulation = SimulationRun.Execute(spec, simulatedPushes);
        var livePushes = new PushOutcomes();
        var live = await LiveScenarioRun.RunAsync(spec, new LiveScenarioOptions { TimeScale = TimeScale }, livePushes);
        var comparison = RunComparison.Compare(simulatedPushes.Pushes, livePushes.Pushes,
            ComparisonOptions.ForLiveRun(live.Duration, TimeScale, live.WorstTimerLateness));
        return (new Side(simulation.Receiver("r"), simulatedPushes.Pushes),
            new Side(live.Receivers.Single(r => r.Receiver == "r"), livePushes.Pushes), comparison);
    }

    private static PipelineSpec Load()
    {
        var loaded = ScenarioLoader.Load(Path.Combine(AppContext.BaseDirectory, "Scenarios", "hung-up-burst-small.yaml"));
        Assert.True(loaded.IsOk, loaded.IsOk ? "" : string.Join("\n", loaded.Error));
        return loaded.Value.Pipeline;
    }
}
