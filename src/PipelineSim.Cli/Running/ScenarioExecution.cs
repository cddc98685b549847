using PipelineSim.Analysis.Records;
using PipelineSim.Analysis.Summary;
using PipelineSim.Core.Records;
using PipelineSim.Model;
using PipelineSim.Model.Recording;
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
}

/// <summary>
/// Runs a loaded scenario in the simulator and writes its results: records stream into <c>pushes.csv</c>,
/// <c>attempts.csv</c> and <c>metrics.csv</c> (files that appear only once the run completed), the summary into
/// <c>summary.json</c>, and the expectations are checked against the run's figures. No console here: the command
/// renders the result.
/// </summary>
public static class ScenarioExecution
{
    public static ScenarioRunResult Run(Scenario scenario, string outputDirectory, RunOptions options)
    {
        Directory.CreateDirectory(outputDirectory);
        var summaryBuilder = new RunSummaryBuilder();
        SimulationResult simulation;
        RecordFigures figures;
        using (var csv = new CsvRecordSink(outputDirectory))
        {
            // The simulation runs on this core; formatting and writing the records, on the other.
            using var writer = new OffThreadRecordSink(new TeeRecordSink(csv, summaryBuilder));
            figures = new RecordFigures(writer);
            // A run that throws leaves the sink uncompleted, so Dispose removes its partial files.
            simulation = SimulationRun.Execute(scenario.Pipeline, figures, options);
            writer.Complete();
            csv.Complete();
        }
        // Plots of an earlier run in this directory would now sit beside records they do not show.
        string stalePlots = Path.Combine(outputDirectory, RunFiles.Plots);
        if (Directory.Exists(stalePlots)) Directory.Delete(stalePlots, recursive: true);

        var summary = summaryBuilder.Build(simulation.Receivers, simulation.Conservation.Created);
        RunSummaryJson.Write(Path.Combine(outputDirectory, RunFiles.Summary), summary);
        var outcomes = scenario.CheckExpectations(new SimulationResultMetrics(simulation, scenario, figures));
        return new ScenarioRunResult(simulation, summary, outcomes, outputDirectory);
    }
}
