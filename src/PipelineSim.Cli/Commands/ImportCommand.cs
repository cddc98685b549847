using System.ComponentModel;
using PipelineSim.Alloy;
using PipelineSim.Alloy.Import;
using PipelineSim.Core.Time;
using PipelineSim.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PipelineSim.Cli.Commands;

/// <summary>
/// <c>pipelinesim import FILE.alloy... [-o scenario.yaml]</c>: writes the scenario the Alloy files describe, after
/// checking it loads as <c>run</c>, <c>plan</c> and <c>compare</c> will load it. Exit 0, or 2 when the files cannot be
/// read or Alloy would reject them (nothing is written then).
/// </summary>
internal sealed class ImportCommand : Command<ImportCommand.Settings>
{
    public sealed class Settings : AlloySettings
    {
        [CommandOption("-o|--output <FILE>")]
        [Description("Where to write the scenario (default: standard output).")]
        public string? Output { get; init; }

        [CommandOption("--name <NAME>")]
        [Description("The scenario's name (default: the output file's name, or \"imported\").")]
        public string? Name { get; init; }

        [CommandOption("--duration <DURATION>")]
        [Description("How long the scenario runs (default 20m).")]
        public string? Duration { get; init; }

        [CommandOption("--drop-idle-flows-at <DURATION>")]
        [Description("What-if: silently drop every idle flow behind the receivers at this time, with the expectations lint predicts.")]
        public string? DropIdleFlowsAt { get; init; }

        public override ValidationResult Validate()
        {
            var baseResult = base.Validate();
            if (!baseResult.Successful) return baseResult;
            foreach (var (option, text) in new[] { ("--duration", Duration), ("--drop-idle-flows-at", DropIdleFlowsAt) })
            {
                if (text is not null && !GoDuration.TryParse(text, out _, out string error)) return ValidationResult.Error($"{option}: {error}");
            }
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        Run(settings, Console.Out, Console.Error);

    internal static int Run(Settings settings, TextWriter output, TextWriter errors)
    {
        if (Produce(settings, settings.Output, errors) is not { } yaml) return PipelineSimApp.UsageError;
        if (settings.Output is null)
        {
            output.Write(yaml);
            return 0;
        }
        string? directory = Path.GetDirectoryName(Path.GetFullPath(settings.Output));
        if (directory is not null) Directory.CreateDirectory(directory);
        File.WriteAllText(settings.Output, yaml);
        errors.WriteLine($"wrote {settings.Output}: check the lines marked ASSUMPTION, then: pipelinesim run {settings.Output}");
        return 0;
    }

    /// <summary>The validated scenario YAML, or null after writing every problem to <paramref name="errors"/>.</summary>
    internal static string? Produce(AlloySettings settings, string? output, TextWriter errors, ImportOptions? overrides = null)
    {
        var (pipeline, readErrors) = AlloyFiles.Load(settings.Files, settings.Inputs());
        foreach (var error in readErrors) errors.WriteLine(error);
        if (pipeline is null) return null;
        foreach (var error in pipeline.Config.Files.SelectMany(f => f.Errors)) errors.WriteLine(error);
        if (pipeline.Config.HasSyntaxErrors) return null;

        var own = settings as Settings;
        var d = overrides ?? new ImportOptions();
        var options = d with
        {
            Name = own?.Name ?? (output is null ? d.Name : Path.GetFileNameWithoutExtension(output)),
            Agents = settings.Agents ?? d.Agents,
            PushInterval = settings.PushIntervalValue ?? d.PushInterval,
            Latency = settings.Latency ?? d.Latency,
            Duration = own?.Duration is { } duration ? GoDuration.Parse(duration) : d.Duration,
            DropIdleFlowsAt = own?.DropIdleFlowsAt is { } at ? GoDuration.Parse(at) : d.DropIdleFlowsAt,
        };
        var result = ScenarioImporter.Import(pipeline, options);
        foreach (string problem in result.Problems) errors.WriteLine(problem);
        if (result.Yaml is null) return null;

        // The scenario must load exactly as run/plan/compare will load it, or nothing is written.
        var loaded = ScenarioLoader.Parse(result.Yaml, output ?? options.Name + ".yaml");
        if (!loaded.IsOk)
        {
            errors.WriteLine("pipelinesim: the imported scenario does not validate (a bug in import); problems:");
            foreach (var problem in loaded.Error) errors.WriteLine(problem);
            return null;
        }
        return result.Yaml;
    }
}
