using PipelineSim.Analysis.Summary;
using PipelineSim.Live.Harness;
using PipelineSim.Spec;
using PipelineSim.Scenarios;
using PipelineSim.Scenarios.Expect;

namespace PipelineSim.Cli.Running;

/// <summary>An expectation a live run cannot check, and why.</summary>
public sealed record UncheckedExpectation(Expectation Expectation, string Reason)
{
    public override string ToString() => $"{Expectation.File}:{Expectation.Position}: {Expectation.Path}: not checked live: {Expectation.Text} ({Reason})";
}

/// <summary>What one live run of a scenario produced.</summary>
public sealed record LiveExecutionResult(
    LiveRunResult Live,
    RunSummary Summary,
    IReadOnlyList<ExpectOutcome> Expectations,
    IReadOnlyList<UncheckedExpectation> NotChecked,
    string OutputDirectory)
{
    /// <summary>Where the plots of an earlier run in the output directory went (<see cref="EarlierPlots"/>), if any.</summary>
    public string? EarlierPlotsMovedTo { get; init; }
}

/// <summary>
/// Runs a loaded scenario live (<see cref="LiveScenarioRun"/>) into the same files a simulated run writes
/// (<see cref="RunOutputs"/>), then checks the expectations the live figures can answer.
/// </summary>
public static class LiveExecution
{
    /// <summary>Throws a <see cref="SpecException"/>, before anything is written, when live cannot run the scenario.</summary>
    public static async Task<LiveExecutionResult> RunAsync(Scenario scenario, string outputDirectory, LiveScenarioOptions options,
        CancellationToken cancellationToken = default, RunFormats? formats = null)
    {
        var problems = LiveTopology.Check(scenario.Pipeline);
        if (problems.Count > 0) throw new SpecException(problems);

        var tally = new WriterTally();
        LiveRunResult live;
        RunSummary summary;
        RecordFigures figures;
        string? earlierPlots;
        IReadOnlyList<ExpectOutcome> outcomes;
        List<UncheckedExpectation> notChecked;
        using (var outputs = new RunOutputs(outputDirectory, formats ?? RunFormats.Default, tally))
        {
            figures = outputs.Figures;
            live = await LiveScenarioRun.RunAsync(scenario.Pipeline, options, outputs.Sink, cancellationToken).ConfigureAwait(false);
            summary = outputs.Complete(live.Receivers, live.FirstHopProfilesCreated);
            earlierPlots = outputs.EarlierPlotsMovedTo;

            var metrics = new SimulationResultMetrics(LiveFigures.ToSimulationResult(live, summary, tally), scenario, figures);
            notChecked = scenario.Expectations
                .Select(e => LiveFigures.WhyNotChecked(e, scenario) is string why ? new UncheckedExpectation(e, why) : null)
                .OfType<UncheckedExpectation>()
                .ToList();
            var checkable = scenario with { Expectations = [.. scenario.Expectations.Where(e => notChecked.All(n => n.Expectation != e))] };
            outcomes = checkable.CheckExpectations(metrics);
            summary = SummaryDetails.With(summary, scenario, SummaryDetails.Info(scenario, "live", live.Seed, live.Duration, live.TimeScale),
                live.Backends, outcomes, notChecked);
            outputs.Finish(summary);
        }
        return new LiveExecutionResult(live, summary, outcomes, notChecked, outputDirectory)
        {
            EarlierPlotsMovedTo = earlierPlots,
        };
    }
}
