using PipelineSim.Spec;
using PipelineSim.Analysis.Summary;
using PipelineSim.Model;
using PipelineSim.Scenarios;
using PipelineSim.Scenarios.Expect;

namespace PipelineSim.Cli.Running;

/// <summary>What one simulated run of a scenario produced.</summary>
public sealed record ScenarioRunResult(
    SimulationResult Simulation,
    RunSummary Summary,
    IReadOnlyList<ExpectOutcome> Expectations,
    string OutputDirectory)
{
    public bool ExpectationsHold => Expectations.All(e => e.Passed);

    /// <summary>Where the plots of an earlier run in the output directory went (<see cref="EarlierPlots"/>), if any.</summary>
    public string? EarlierPlotsMovedTo { get; init; }
}

/// <summary>
/// Runs a loaded scenario in the simulator and writes its results (<see cref="RunOutputs"/>), then checks the
/// expectations against the run's figures. No console here: the command renders the result.
/// </summary>
public static class ScenarioExecution
{
    public static ScenarioRunResult Run(Scenario scenario, string outputDirectory, RunOptions options, RunFormats? formats = null)
    {
        SimulationResult simulation;
        RunSummary summary;
        RecordFigures figures;
        string? earlierPlots;
        IReadOnlyList<ExpectOutcome> outcomes;
        using (var outputs = new RunOutputs(outputDirectory, formats ?? RunFormats.Default))
        {
            figures = outputs.Figures;
            // A run that throws leaves the outputs uncompleted, so Dispose removes their partial files.
            simulation = SimulationRun.Execute(scenario.Pipeline, outputs.Sink, options);
            summary = outputs.Complete(simulation.Receivers, simulation.Conservation.Created);
            earlierPlots = outputs.EarlierPlotsMovedTo;
            outcomes = scenario.CheckExpectations(new SimulationResultMetrics(simulation, scenario, figures));
            summary = SummaryDetails.With(summary, scenario, SummaryDetails.Info(scenario, "simulated", simulation.Seed, simulation.Duration),
                simulation.Backends, outcomes);
            outputs.Finish(summary);
        }
        return new ScenarioRunResult(simulation, summary, outcomes, outputDirectory) { EarlierPlotsMovedTo = earlierPlots };
    }
}
