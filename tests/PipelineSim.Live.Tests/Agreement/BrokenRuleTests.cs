using PipelineSim.Analysis.Comparison;
using PipelineSim.Core.Options;
using PipelineSim.Live.Harness;
using PipelineSim.Model;
using PipelineSim.Scenarios;
using PipelineSim.Spec;

namespace PipelineSim.Live.Tests.Agreement;

/// <summary>
/// <c>compare</c>'s verdict on a scenario whose outcomes are random (Scenarios/slow-and-failing-backend-small.yaml):
/// simulated and live runs draw different numbers, so their counts differ by chance and must still agree; and when the
/// live side runs a broken rule (w2's timeout 20 % lower, or w2's retries disabled) while the simulator keeps the
/// right one, the verdict must say they differ, at w2's outcome classes.
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public class BrokenRuleTests
{
    private const double TimeScale = 0.1;

    public static TheoryData<string> Breakages => ["w2 remote_timeout 20% lower", "w2 retries disabled"];

    [Fact]
    public async Task Runs_that_differ_only_by_the_scenarios_randomness_agree()
    {
        var spec = Load();

        var comparison = await CompareAsync(spec, spec);

        Assert.True(comparison.Agrees, string.Join("\n", comparison.Disagreements()));
        // The runs did draw differently: this agreement is the statistical one, not an exact match.
        Assert.Contains(comparison.Endpoints, e => e.OutcomeDifferences.Any());
    }

    [Theory]
    [MemberData(nameof(Breakages))]
    public async Task A_rule_broken_on_the_live_side_is_caught(string breakage)
    {
        var spec = Load();
        var broken = WithW2Endpoint(spec, breakage switch
        {
            "w2 remote_timeout 20% lower" => e => e with { RemoteTimeout = e.RemoteTimeout * 0.8 },
            "w2 retries disabled" => e => e with { MaxBackoffRetries = 1 },
            _ => throw new ArgumentOutOfRangeException(nameof(breakage)),
        });

        var comparison = await CompareAsync(spec, broken);

        var w2 = comparison.Endpoints.Single(e => e.Writer == "w2");
        // On failure, the counts say whether the live run did break the rule and the test could not tell, or not.
        Assert.False(comparison.Agrees, $"{breakage} was not caught; w2's outcomes: {string.Join("; ", w2.Outcomes)}");
        Assert.Contains(w2.Outcomes, o => !o.Agrees);
    }

    private static async Task<RunComparison> CompareAsync(PipelineSpec simulatedSpec, PipelineSpec liveSpec)
    {
        var simulated = new PushOutcomes();
        SimulationRun.Execute(simulatedSpec, simulated);
        var live = new PushOutcomes();
        var run = await LiveScenarioRun.RunAsync(liveSpec, new LiveScenarioOptions { TimeScale = TimeScale }, live);
        return RunComparison.Compare(simulated.Pushes, live.Pushes, ComparisonOptions.ForLiveRun(run.Duration, TimeScale, run.WorstTimerLateness));
    }

    private static PipelineSpec WithW2Endpoint(PipelineSpec spec, Func<WriteEndpointOptions, WriteEndpointOptions> change) => spec with
    {
        Components = [.. spec.Components.Select(c => c is WriterSpec { Name: "w2" } w
            ? w with { Options = w.Options with { Endpoints = [.. w.Options.Endpoints.Select(change)] } }
            : c)],
    };

    private static PipelineSpec Load()
    {
        var loaded = ScenarioLoader.Load(Path.Combine(AppContext.BaseDirectory, "Scenarios", "slow-and-failing-backend-small.yaml"));
        Assert.True(loaded.IsOk, loaded.IsOk ? "" : string.Join("\n", loaded.Error));
        return loaded.Value.Pipeline;
    }
}
