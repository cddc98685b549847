using PipelineSim.Analysis.Plots;
using System.ComponentModel;
using System.Globalization;
using PipelineSim.Cli.Rendering;
using PipelineSim.Cli.Running;
using PipelineSim.Core.Time;
using PipelineSim.Live.Harness;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PipelineSim.Cli.Commands;

/// <summary>
/// <c>pipelinesim live FILE</c>: runs a scenario's topology with real components on loopback, time scaled, into the
/// same files and console summary as <c>run</c>, and checks the <c>expect:</c> claims the live figures can answer.
/// Exit codes as <c>run</c>: 0 every checked claim holds, 1 one failed, 2 bad input or a scenario live cannot run.
/// </summary>
internal sealed class LiveCommand : AsyncCommand<LiveCommand.Settings>
{
    public sealed class Settings : ScenarioRunSettings
    {
        [CommandOption("--time-scale <SCALE>")]
        [Description("Wall seconds per scenario second: 0.05 runs 20 minutes of scenario in one minute.")]
        [DefaultValue(TimeScaleOption.Default)]
        public double TimeScale { get; init; } = TimeScaleOption.Default;

        public override ValidationResult Validate()
        {
            var problem = base.Validate();
            return problem.Successful ? TimeScaleOption.Check(TimeScale) : problem;
        }
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        RunAsync(settings, AnsiConsole.Console, Console.Out, Console.Error, showProgress: ScenarioSettings.OnTerminal && !settings.Json, cancellationToken);

    internal static async Task<int> RunAsync(Settings settings, IAnsiConsole output, TextWriter stdout, TextWriter errors, bool showProgress,
        CancellationToken cancellationToken)
    {
        if (settings.LoadScenario(errors) is not { } scenario) return PipelineSimApp.UsageError;
        string outputDirectory = settings.Out ?? Path.Combine("runs", scenario.Pipeline.Name + "-live");
        var options = settings.LiveOptions(settings.TimeScale);

        var warnings = new RiddenOutWarnings();
        LiveExecutionResult result;
        try
        {
            result = await ProgressBar.RunAsync(output, showProgress, $"running {scenario.Pipeline.Name} live",
                report => LiveExecution.RunAsync(scenario, outputDirectory, options with { Progress = report, Warn = warnings.Add },
                    cancellationToken, settings.Formats));
        }
        catch (Exception e) when (RunFailure.IsExpected(e))
        {
            return RunFailure.Report(e, settings.File, outputDirectory, errors);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return RunFailure.Stopped(outputDirectory, errors);
        }
        finally
        {
            warnings.WriteTo(errors);
        }

        var live = result.Live;
        var plotContext = PlotContext.For(scenario.Pipeline, live.Seed, live.Duration);
        if (settings.Json) return RunCommand.WriteJson(result.Summary, result.Expectations, settings, outputDirectory, stdout, errors, plotContext);
        output.MarkupLineInterpolated(
            $"[bold]{scenario.Pipeline.Name}[/]: {Duration(live.Duration)} live at time scale {live.TimeScale.ToString(CultureInfo.InvariantCulture)} ({Duration(live.WallTime)} of real time), seed {live.Seed}");
        RunCommand.RenderResults(result.Summary, settings, outputDirectory, result.EarlierPlotsMovedTo, plotContext, output);
        return ExpectationsView.Report(result.Expectations, output, errors, result.NotChecked);
    }

    private static string Duration(TimeSpan span) => GoDuration.Format(TimeSpan.FromMilliseconds(Math.Round(span.TotalMilliseconds)));
}

/// <summary>The <c>--time-scale</c> of the live commands.</summary>
internal static class TimeScaleOption
{
    /// <summary>Twenty times real speed: 10 s timeouts last half a second, clear of a loaded machine's usual jitter.</summary>
    public const double Default = 0.05;

    public static ValidationResult Check(double scale) => scale is > 0 and <= 1
        ? ValidationResult.Success()
        : ValidationResult.Error($"--time-scale: {scale.ToString(CultureInfo.InvariantCulture)} must be above 0 and at most 1");
}
