using PipelineSim.Analysis.Comparison;
using PipelineSim.Live.Harness;
using PipelineSim.Model;
using PipelineSim.Spec;
using PipelineSim.Scenarios;

namespace PipelineSim.Cli.Running;

/// <summary>A scenario run both ways and lined up.</summary>
public sealed record ComparisonExecutionResult(RunComparison Comparison, SimulationResult Simulation, LiveRunResult Live);

/// <summary>
/// Runs a scenario in the simulator and live with the same seed and duration, keeping only what a comparison needs
/// of their push records, and compares them (<see cref="RunComparison"/>). Writes no files.
/// </summary>
public static class ComparisonExecution
{
    /// <summary>Throws a <see cref="SpecException"/>, before either run, when live cannot run the scenario.</summary>
    public static async Task<ComparisonExecutionResult> RunAsync(Scenario scenario, LiveScenarioOptions options, TimeSpan? stall = null,
        double level = ComparisonOptions.DefaultLevel, CancellationToken cancellationToken = default)
    {
        var spec = scenario.Pipeline;
        var problems = LiveTopology.Check(spec);
        if (problems.Count > 0) throw new SpecException(problems);

        var simulatedPushes = new PushOutcomes();
        var simulation = SimulationRun.Execute(spec, simulatedPushes, new RunOptions { Seed = options.Seed, Duration = options.Duration });
        var livePushes = new PushOutcomes();
        var live = await LiveScenarioRun.RunAsync(spec, options, livePushes, cancellationToken).ConfigureAwait(false);
        var comparison = RunComparison.Compare(simulatedPushes.Pushes, livePushes.Pushes,
            ComparisonOptions.ForLiveRun(live.Duration, options.TimeScale, live.WorstTimerLateness, stall, level));
        return new ComparisonExecutionResult(comparison, simulation, live);
    }
}
