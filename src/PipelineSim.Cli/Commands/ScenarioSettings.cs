using System.ComponentModel;
using PipelineSim.Core.Time;
using PipelineSim.Live.Harness;
using PipelineSim.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PipelineSim.Cli.Commands;

/// <summary>What every command that runs a scenario file takes: the file, and overrides of its seed and duration.</summary>
public class ScenarioSettings : CommandSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("The scenario YAML file to run.")]
    public string File { get; init; } = "";

    [CommandOption("--seed <N>")]
    [Description("Replaces the scenario's seed.")]
    public ulong? Seed { get; init; }

    [CommandOption("--duration <DURATION>")]
    [Description("Replaces the scenario's duration, in Go syntax (90s, 10m, 1h).")]
    public string? Duration { get; init; }

    public TimeSpan? DurationValue => Duration is null ? null : GoDuration.Parse(Duration);

    /// <summary>Whether to draw a progress bar: on a terminal only, so redirected output stays plain.</summary>
    internal static bool OnTerminal => !Console.IsOutputRedirected && !Console.IsErrorRedirected;

    /// <summary>The scenario, or null after writing every problem in the file to <paramref name="errors"/>, one per line.</summary>
    internal Scenario? LoadScenario(TextWriter errors)
    {
        var loaded = ScenarioLoader.Load(File);
        if (loaded.IsOk) return loaded.Value;
        foreach (var problem in loaded.Error) errors.WriteLine(problem);
        return null;
    }

    /// <summary>A live run of the file at <paramref name="timeScale"/> with these overrides.</summary>
    internal LiveScenarioOptions LiveOptions(double timeScale) => new() { TimeScale = timeScale, Seed = Seed, Duration = DurationValue };

    public override ValidationResult Validate() => LiveCommandSupport.CheckDuration("--duration", Duration, allowZero: false) ?? ValidationResult.Success();
}

/// <summary>A scenario run that writes its results: where to, and whether to draw the plots too.</summary>
public class ScenarioRunSettings : ScenarioSettings
{
    [CommandOption("--out <DIR>")]
    [Description("Where to write the results (default: runs/<scenario name>).")]
    public string? Out { get; init; }

    [CommandOption("--plots")]
    [Description("Also draw the plots into <DIR>/plots (PNG).")]
    public bool Plots { get; init; }

    public override ValidationResult Validate()
    {
        var problem = base.Validate();
        return problem.Successful ? LiveCommandSupport.CheckOutputDirectory("--out", Out) ?? problem : problem;
    }
}
