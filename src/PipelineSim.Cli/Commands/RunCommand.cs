using PipelineSim.Analysis.Plots;
using PipelineSim.Analysis.Summary;
using PipelineSim.Cli.Rendering;
using PipelineSim.Cli.Running;
using PipelineSim.Core.Time;
using PipelineSim.Model;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PipelineSim.Cli.Commands;

/// <summary>
/// <c>pipelinesim run FILE</c>: the main job. Simulates a scenario, prints the summary, writes the records, the
/// summary and (with <c>--plots</c>) the plots to the output directory, and checks the scenario's <c>expect:</c>
/// claims. Exit codes: 0 when every claim holds, 1 when one fails, 2 for bad input.
/// </summary>
internal sealed class RunCommand : Command<RunCommand.Settings>
{
    public sealed class Settings : ScenarioRunSettings;

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        Model.BatchGc.Use(); // this process is one simulation
        return Run(settings, AnsiConsole.Console, Console.Out, Console.Error, showProgress: ScenarioSettings.OnTerminal && !settings.Json, cancellationToken);
    }

    /// <param name="stdout">Where <c>--json</c> writes the summary (the console view goes to <paramref name="output"/>).</param>
    internal static int Run(Settings settings, IAnsiConsole output, TextWriter stdout, TextWriter errors, bool showProgress,
        CancellationToken cancellation = default)
    {
        if (settings.LoadScenario(errors) is not { } scenario) return PipelineSimApp.UsageError;
        string outputDirectory = settings.Out ?? Path.Combine("runs", scenario.Pipeline.Name);
        var options = new RunOptions
        {
            Seed = settings.Seed,
            Duration = settings.DurationValue,
            Cancellation = cancellation,
        };

        ScenarioRunResult result;
        try
        {
            result = ProgressBar.Run(output, showProgress, $"simulating {scenario.Pipeline.Name}",
                report => ScenarioExecution.Run(scenario, outputDirectory, options with { Progress = p => report(p.Fraction) }, settings.Formats));
        }
        catch (Exception e) when (RunFailure.IsExpected(e))
        {
            return RunFailure.Report(e, settings.File, outputDirectory, errors);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return RunFailure.Stopped(outputDirectory, errors);
        }

        var simulation = result.Simulation;
        var plotContext = PlotContext.For(scenario.Pipeline, simulation.Seed, simulation.Duration);
        if (settings.Json) return WriteJson(result.Summary, result.Expectations, settings, outputDirectory, stdout, errors, plotContext);
        output.MarkupLineInterpolated(
            $"[bold]{scenario.Pipeline.Name}[/]: {GoDuration.Format(simulation.Duration)} simulated, seed {simulation.Seed}, {simulation.EventsProcessed:N0} events");
        RenderResults(result.Summary, settings, outputDirectory, result.EarlierPlotsMovedTo, plotContext, output);
        return ExpectationsView.Report(result.Expectations, output, errors);
    }

    /// <summary>
    /// <c>--json</c>: summary.json on stdout and nothing else there (plots are drawn when asked for, their notes on
    /// stderr); a failed claim's verdict line on stderr and exit code 1, as without it.
    /// </summary>
    internal static int WriteJson(RunSummary summary, IReadOnlyList<Scenarios.Expect.ExpectOutcome> outcomes, ScenarioRunSettings settings,
        string outputDirectory, TextWriter stdout, TextWriter errors, PlotContext? plotContext = null)
    {
        if (settings.Plots)
        {
            foreach (string note in RunPlotter.RenderDirectory(outputDirectory, new PlotOptions(), plotContext).Notes) errors.WriteLine($"note: {note}");
        }
        stdout.Write(System.Text.Encoding.UTF8.GetString(RunSummaryJson.ToUtf8Bytes(summary)));
        stdout.Flush();
        int failed = outcomes.Count(o => !o.Passed);
        if (failed == 0) return 0;
        errors.WriteLine($"pipelinesim: {failed} of {outcomes.Count} expectations failed in {outcomes[0].Expectation.File}");
        return ExpectationsView.ExpectationFailed;
    }

    /// <summary>The summary, the plots when asked for, and where the files went: the same for a simulated and a live run.</summary>
    internal static void RenderResults(RunSummary summary, ScenarioRunSettings settings, string outputDirectory, string? earlierPlots,
        PlotContext plotContext, IAnsiConsole output)
    {
        RunSummaryView.Render(output, summary);
        if (earlierPlots is not null)
        {
            output.MarkupLineInterpolated(
                $"[yellow]note:[/] the plots of the earlier run in {outputDirectory} moved to {earlierPlots}{(settings.Plots ? "" : "; pass --plots to draw this run's")}");
        }
        if (settings.Plots)
        {
            var report = RunPlotter.RenderDirectory(outputDirectory, new PlotOptions(), plotContext);
            foreach (string note in report.Notes) output.MarkupLineInterpolated($"[yellow]note:[/] {note}");
        }
        output.MarkupLineInterpolated($"results in [bold]{outputDirectory}[/]");
    }
}
