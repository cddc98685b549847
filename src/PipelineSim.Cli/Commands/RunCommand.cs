using System.ComponentModel;
using PipelineSim.Analysis.Plots;
using PipelineSim.Cli.Rendering;
using PipelineSim.Cli.Running;
using PipelineSim.Core.Time;
using PipelineSim.Model;
using PipelineSim.Model.Spec;
using PipelineSim.Scenarios;
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
    public const int ExpectationFailed = 1;

    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("The scenario YAML file to run.")]
        public string File { get; init; } = "";

        [CommandOption("--seed <N>")]
        [Description("Replaces the scenario's seed.")]
        public ulong? Seed { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Where to write the results (default: runs/<scenario name>).")]
        public string? Out { get; init; }

        [CommandOption("--duration <DURATION>")]
        [Description("Replaces the scenario's duration, in Go syntax (90s, 10m, 1h).")]
        public string? Duration { get; init; }

        [CommandOption("--plots")]
        [Description("Also draw the plots into <DIR>/plots (PNG).")]
        public bool Plots { get; init; }

        public override ValidationResult Validate()
        {
            if (Duration is null) return ValidationResult.Success();
            if (!GoDuration.TryParse(Duration, out var value, out string error)) return ValidationResult.Error($"--duration: {error}");
            return value > TimeSpan.Zero ? ValidationResult.Success() : ValidationResult.Error($"--duration: {Duration} is not positive");
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        Run(settings, AnsiConsole.Console, Console.Error, showProgress: !Console.IsOutputRedirected && !Console.IsErrorRedirected);

    internal static int Run(Settings settings, IAnsiConsole output, TextWriter errors, bool showProgress)
    {
        var loaded = ScenarioLoader.Load(settings.File);
        if (!loaded.IsOk)
        {
            foreach (var problem in loaded.Error) errors.WriteLine(problem);
            return PipelineSimApp.UsageError;
        }
        var scenario = loaded.Value;
        string outputDirectory = settings.Out ?? Path.Combine("runs", scenario.Pipeline.Name);
        var options = new RunOptions
        {
            Seed = settings.Seed,
            Duration = settings.Duration is null ? null : GoDuration.Parse(settings.Duration),
        };

        ScenarioRunResult result;
        try
        {
            result = ProgressBar.Run(output, showProgress, $"simulating {scenario.Pipeline.Name}",
                progress => ScenarioExecution.Run(scenario, outputDirectory, options with { Progress = p => progress(p.Fraction) }));
        }
        catch (SpecException e)
        {
            foreach (var problem in e.Problems) errors.WriteLine($"{settings.File}: {problem}");
            return PipelineSimApp.UsageError;
        }
        catch (IOException e)
        {
            errors.WriteLine($"pipelinesim: cannot write results to {outputDirectory}: {e.Message}");
            return PipelineSimApp.UsageError;
        }
        catch (UnauthorizedAccessException e)
        {
            errors.WriteLine($"pipelinesim: cannot write results to {outputDirectory}: {e.Message}");
            return PipelineSimApp.UsageError;
        }

        var simulation = result.Simulation;
        output.MarkupLineInterpolated(
            $"[bold]{scenario.Pipeline.Name}[/]: {GoDuration.Format(simulation.Duration)} simulated, seed {simulation.Seed}, {simulation.EventsProcessed:N0} events");
        RunSummaryView.Render(output, result.Summary);
        if (settings.Plots)
        {
            var report = RunPlotter.RenderDirectory(outputDirectory, new PlotOptions());
            foreach (string note in report.Notes) output.MarkupLineInterpolated($"[yellow]note:[/] {note}");
        }
        output.MarkupLineInterpolated($"results in [bold]{outputDirectory}[/]");
        return ReportExpectations(result, output, errors);
    }

    /// <summary>Every claim in file order on the output; the verdict line on stderr, so a failure shows in any pipe.</summary>
    private static int ReportExpectations(ScenarioRunResult result, IAnsiConsole output, TextWriter errors)
    {
        if (result.Expectations.Count == 0) return 0;
        foreach (var outcome in result.Expectations)
        {
            if (outcome.Passed) output.MarkupLineInterpolated($"[green]ok[/]     {outcome}");
            else output.MarkupLineInterpolated($"[red]FAILED[/] {outcome}");
        }
        int failed = result.Expectations.Count(e => !e.Passed);
        if (failed == 0)
        {
            output.MarkupLineInterpolated($"[green]all {result.Expectations.Count} expectations hold[/]");
            return 0;
        }
        errors.WriteLine($"pipelinesim: {failed} of {result.Expectations.Count} expectations failed in {result.Expectations[0].Expectation.File}");
        return ExpectationFailed;
    }
}
