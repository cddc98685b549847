using System.ComponentModel;
using System.Globalization;
using PipelineSim.Analysis.Comparison;
using PipelineSim.Cli.Rendering;
using PipelineSim.Cli.Running;
using PipelineSim.Core.Time;
using PipelineSim.Live.Harness;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PipelineSim.Cli.Commands;

/// <summary>
/// <c>pipelinesim compare FILE</c>: runs a scenario simulated and live with the same seed and prints them side by side
/// per writer endpoint, differences highlighted, then the verdict and the bound it used. Exit codes: 0 they agree
/// (outcome shares within what the scenario's randomness allows at the stated level, latency quantiles within 10 % plus
/// the live run's timer lateness), 1 they differ, 2 bad input or a scenario live cannot run.
/// </summary>
internal sealed class CompareCommand : AsyncCommand<CompareCommand.Settings>
{
    public const int Differ = 1;

    /// <summary>Comparing needs margins: a tenth of real speed keeps a half-second stall to 5 s of scenario time.</summary>
    public const double DefaultTimeScale = 0.1;

    public sealed class Settings : ScenarioSettings
    {
        [CommandOption("--time-scale <SCALE>")]
        [Description("Wall seconds per scenario second for the live run.")]
        [DefaultValue(DefaultTimeScale)]
        public double TimeScale { get; init; } = DefaultTimeScale;

        [CommandOption("--stall <DURATION>")]
        [Description("The real-time stall the comparison must survive at the end of the run: pushes one run alone started this close to the end (divided by the time scale) are left out.")]
        [DefaultValue("500ms")]
        public string Stall { get; init; } = "500ms";

        [CommandOption("--level <ALPHA>")]
        [Description("Per writer endpoint, the chance of calling two runs of one model different by their outcome counts alone (split over the outcome classes).")]
        [DefaultValue(ComparisonOptions.DefaultLevel)]
        public double Level { get; init; } = ComparisonOptions.DefaultLevel;

        public override ValidationResult Validate()
        {
            var problem = base.Validate();
            if (!problem.Successful) return problem;
            problem = TimeScaleOption.Check(TimeScale);
            if (problem.Successful && !(Level > 0 && Level < 1)) return ValidationResult.Error($"--level: must be between 0 and 1, found {Level.ToString(CultureInfo.InvariantCulture)}");
            return problem.Successful ? LiveCommandSupport.CheckDuration("--stall", Stall) ?? ValidationResult.Success() : problem;
        }
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        RunAsync(settings, AnsiConsole.Console, Console.Error, showProgress: ScenarioSettings.OnTerminal, cancellationToken);

    internal static async Task<int> RunAsync(Settings settings, IAnsiConsole output, TextWriter errors, bool showProgress,
        CancellationToken cancellationToken)
    {
        if (settings.LoadScenario(errors) is not { } scenario) return PipelineSimApp.UsageError;
        var options = settings.LiveOptions(settings.TimeScale);
        var stall = GoDuration.Parse(settings.Stall);

        var warnings = new RiddenOutWarnings();
        ComparisonExecutionResult result;
        try
        {
            result = await ProgressBar.RunAsync(output, showProgress, $"comparing {scenario.Pipeline.Name}",
                report => ComparisonExecution.RunAsync(scenario, options with { Progress = report, Warn = warnings.Add }, stall, settings.Level,
                    cancellationToken));
        }
        catch (Exception e) when (RunFailure.IsExpected(e))
        {
            return RunFailure.Report(e, settings.File, "", errors);
        }
        finally
        {
            warnings.WriteTo(errors); // a run that backed off at the descriptor limit may differ for that reason
        }

        var live = result.Live;
        output.MarkupLineInterpolated(
            $"[bold]{scenario.Pipeline.Name}[/]: {GoDuration.Format(live.Duration)} simulated and live at time scale {live.TimeScale.ToString(CultureInfo.InvariantCulture)}, seed {live.Seed}");
        ComparisonView.Render(output, result.Comparison);
        output.MarkupLineInterpolated(
            $"[grey]latency slack: the live run's timers fired up to {live.WorstTimerLateness.TotalMilliseconds:0} ms late (counted as at least {ComparisonOptions.MinimumLateness.TotalMilliseconds:0} ms), times {ComparisonOptions.LateTimersPerPush} late timers per push, divided by the time scale[/]");
        if (live.WorstTimerLateness > stall)
        {
            output.MarkupLineInterpolated(
                $"[yellow]note:[/] timers of the live run fired up to {live.WorstTimerLateness.TotalMilliseconds:0} ms late, more than --stall {settings.Stall}: a difference may be the machine's, not the model's");
        }
        if (result.Comparison.Agrees) return 0;
        errors.WriteLine($"pipelinesim: simulated and live runs of {settings.File} differ");
        return Differ;
    }
}
