using System.ComponentModel;
using PipelineSim.Alloy;
using PipelineSim.Alloy.Config;
using PipelineSim.Alloy.Import;
using PipelineSim.Alloy.Lint;
using PipelineSim.Cli.Rendering;
using PipelineSim.Cli.Running;
using PipelineSim.Model;
using PipelineSim.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PipelineSim.Cli.Commands;

/// <summary>
/// <c>pipelinesim lint FILE.alloy...</c>: static findings about an Alloy profile pipeline, each with the
/// file:line:col of the attributes involved, why it matters and what to change. Exit 0 (nothing found), 1 (errors or
/// warnings), 2 (a file cannot be read or parsed). <c>--simulate</c> also imports the files with a broken idle link
/// and runs the scenario, to show the failure the findings predict.
/// </summary>
internal sealed class LintCommand : Command<LintCommand.Settings>
{
    public sealed class Settings : AlloySettings
    {
        [CommandOption("--format <FORMAT>")]
        [Description("text (default) or json (stable, for CI).")]
        public string Format { get; init; } = "text";

        [CommandOption("--simulate")]
        [Description("Import the files, drop every idle flow behind the receivers halfway, run it and show what happened.")]
        public bool Simulate { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Where --simulate writes its run (default: runs/lint-simulate).")]
        public string? Out { get; init; }

        public override ValidationResult Validate()
        {
            if (Format is not ("text" or "json")) return ValidationResult.Error($"--format: expected text or json, got \"{Format}\"");
            return base.Validate();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        Run(settings, AnsiConsole.Console, Console.Out, Console.Error);

    internal static int Run(Settings settings, IAnsiConsole console, TextWriter output, TextWriter errors)
    {
        var (pipeline, readErrors) = AlloyFiles.Load(settings.Files, settings.Inputs());
        if (pipeline is null)
        {
            foreach (var error in readErrors) errors.WriteLine(error);
            return PipelineSimApp.UsageError;
        }
        var options = new LintOptions { Agents = settings.Agents, PushInterval = settings.PushIntervalValue };
        var report = Linter.Lint(pipeline, options);
        if (settings.Format == "json")
        {
            output.Write(LintJson.Write(report));
        }
        else
        {
            foreach (var error in report.SyntaxErrors) errors.WriteLine(error);
            Render(report, console);
        }
        if (settings.Simulate && report.SyntaxErrors.Count == 0) return Simulate(settings, console, errors) ?? report.ExitCode;
        return report.ExitCode;
    }

    private static void Render(LintReport report, IAnsiConsole console)
    {
        if (report.SyntaxErrors.Count > 0)
        {
            console.MarkupLineInterpolated($"cannot lint: {report.SyntaxErrors.Count} syntax error(s) (above)");
            return;
        }
        foreach (var finding in report.Findings)
        {
            string colour = finding.Severity switch { Severity.Error => "red", Severity.Warning => "yellow", _ => "grey" };
            string at = finding.At.Count == 0 ? "" : finding.At[0].ToString();
            string severity = finding.Severity.ToString().ToLowerInvariant();
            console.MarkupLineInterpolated($"{at}: [{colour}]{severity}[/] [bold]{finding.Code}[/]: {finding.Message}");
            foreach (var also in finding.At.Skip(1)) console.MarkupLineInterpolated($"    see {also}");
            if (finding.Why.Length > 0) console.MarkupLineInterpolated($"    why: {finding.Why}");
            if (finding.Fix.Length > 0) console.MarkupLineInterpolated($"    fix: {finding.Fix}");
            if (finding.Figures.Count > 0) console.MarkupLineInterpolated($"    {string.Join(", ", finding.Figures.Select(f => $"{f.Key}={f.Value}"))}");
        }
        int errors = report.Findings.Count(f => f.Severity == Severity.Error);
        int warnings = report.Findings.Count(f => f.Severity == Severity.Warning);
        int notes = report.Findings.Count(f => f.Severity == Severity.Note);
        console.MarkupLineInterpolated($"{report.Files.Count} file(s): {errors} error(s), {warnings} warning(s), {notes} note(s)");
    }

    /// <summary>Runs the imported scenario with a broken idle link; null when it ran (the lint exit code stands),
    /// else the usage-error code.</summary>
    private static int? Simulate(Settings settings, IAnsiConsole console, TextWriter errors)
    {
        var what = new ImportOptions { Name = "lint-simulate", DropIdleFlowsAt = TimeSpan.FromMinutes(10) };
        if (ImportCommand.Produce(settings, null, errors, what) is not { } yaml) return PipelineSimApp.UsageError;
        var scenario = ScenarioLoader.Parse(yaml, "lint-simulate.yaml").Value!;
        string directory = settings.Out ?? Path.Combine("runs", "lint-simulate");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "scenario.yaml"), yaml);
        console.MarkupLineInterpolated($"[bold]simulate[/]: imported scenario with every idle flow behind the receivers dropped at 10m ({directory}/scenario.yaml)");
        ScenarioRunResult result;
        try
        {
            result = ScenarioExecution.Run(scenario, directory, new RunOptions());
        }
        catch (Exception e) when (RunFailure.IsExpected(e))
        {
            return RunFailure.Report(e, "lint-simulate.yaml", directory, errors);
        }
        RunSummaryView.Render(console, result.Summary);
        ExpectationsView.Report(result.Expectations, console, errors);
        console.MarkupLineInterpolated($"results in [bold]{directory}[/]");
        return null;
    }
}
