using System.ComponentModel;
using PipelineSim.Analysis.Plots;
using PipelineSim.Analysis.Records;
using PipelineSim.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PipelineSim.Cli.Commands;

/// <summary><c>pipelinesim plot DIR</c>: draws a run's records (simulated or live) into DIR/plots/.</summary>
internal sealed class PlotCommand : Command<PlotCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DIR>")]
        [Description("A run's output directory: pushes.csv (required), attempts.csv, metrics.csv")]
        public string Directory { get; init; } = "";

        [CommandOption("--format <FORMAT>")]
        [Description("png, svg or both")]
        [DefaultValue("png")]
        public string Format { get; init; } = "png";

        [CommandOption("--width <PIXELS>")]
        [Description("Image width in pixels")]
        [DefaultValue(1200)]
        public int Width { get; init; } = 1200;

        [CommandOption("--height <PIXELS>")]
        [Description("Image height in pixels")]
        [DefaultValue(800)]
        public int Height { get; init; } = 800;

        [CommandOption("--scenario <FILE>")]
        [Description("The scenario the run came from: its name in the titles, its faults marked on the time plots")]
        public string? Scenario { get; init; }

        [CommandOption("--seed <N>")]
        [TypeConverter(typeof(SeedConverter))]
        [Description("The seed the run used, for the titles (with --scenario; default: the scenario's)")]
        public ulong? Seed { get; init; }

        [CommandOption("--max-endpoints <N>")]
        [Description("Plot at most this many writer endpoints, those with the most pushes")]
        [DefaultValue(24)]
        public int MaxEndpoints { get; init; } = 24;

        [CommandOption("--max-receivers <N>")]
        [Description("Plot at most this many receivers, those with the highest peak of accepted connections")]
        [DefaultValue(24)]
        public int MaxReceivers { get; init; } = 24;

        public override ValidationResult Validate()
        {
            if (ParseFormat(Format) is null) return ValidationResult.Error($"--format: '{Format}' is not png, svg or both");
            if (Width < 100 || Width > 10_000) return ValidationResult.Error($"--width: {Width} is not between 100 and 10000");
            if (Height < 100 || Height > 10_000) return ValidationResult.Error($"--height: {Height} is not between 100 and 10000");
            if (MaxEndpoints < 1) return ValidationResult.Error($"--max-endpoints: {MaxEndpoints} is not at least 1");
            if (MaxReceivers < 1) return ValidationResult.Error($"--max-receivers: {MaxReceivers} is not at least 1");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        Run(settings, AnsiConsole.Console, Console.Error);

    /// <summary>The command's work, with its output streams passed in so tests can read them.</summary>
    internal static int Run(Settings settings, IAnsiConsole output, TextWriter errors)
    {
        if (!System.IO.Directory.Exists(settings.Directory))
        {
            errors.WriteLine($"pipelinesim: no such directory: {settings.Directory}");
            return PipelineSimApp.UsageError;
        }

        var options = new PlotOptions
        {
            Formats = ParseFormat(settings.Format)!.Value,
            Width = settings.Width,
            Height = settings.Height,
            MaxEndpoints = settings.MaxEndpoints,
            MaxReceivers = settings.MaxReceivers,
        };
        PlotContext? plotContext = null;
        if (settings.Scenario is not null)
        {
            var loaded = ScenarioLoader.Load(settings.Scenario);
            if (!loaded.IsOk)
            {
                foreach (var problem in loaded.Error) errors.WriteLine(problem);
                return PipelineSimApp.UsageError;
            }
            var spec = loaded.Value.Pipeline;
            // The duration stays the records' own: the run may have been shortened with --duration.
            plotContext = PlotContext.For(spec, settings.Seed ?? spec.Seed, spec.Duration) with { Duration = null };
        }
        PlotReport report;
        try
        {
            report = RunPlotter.RenderDirectory(settings.Directory, options, plotContext);
        }
        catch (RecordFileException e)
        {
            foreach (var line in e.Message.Split(Environment.NewLine)) errors.WriteLine($"pipelinesim: {line}");
            return PipelineSimApp.UsageError;
        }

        string plots = Path.Combine(settings.Directory, RunFiles.Plots);
        output.MarkupLineInterpolated($"wrote {report.Files.Count} plot files to [bold]{plots}[/]");
        foreach (string note in report.Notes) output.MarkupLineInterpolated($"[yellow]note:[/] {note}");
        return 0;
    }

    private static PlotFormats? ParseFormat(string format) => format.ToLowerInvariant() switch
    {
        "png" => PlotFormats.Png,
        "svg" => PlotFormats.Svg,
        "both" => PlotFormats.Both,
        _ => null,
    };
}
