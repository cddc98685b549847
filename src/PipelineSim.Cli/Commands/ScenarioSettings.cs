using System.ComponentModel;
using PipelineSim.Analysis.Records;
using PipelineSim.Cli.Running;
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
    [TypeConverter(typeof(SeedConverter))]
    [Description("Replaces the scenario's seed.")]
    public ulong? Seed { get; init; }

    [CommandOption("--duration <DURATION>")]
    [Description("Replaces the scenario's duration, in Go syntax (90s, 10m, 1h).")]
    public string? Duration { get; init; }

    [CommandOption("--set <PATH=VALUE>")]
    [Description("Replaces one value of the scenario, by the path error messages print, e.g. components.w1.endpoints[0].remote_timeout=30s. Repeatable.")]
    public string[] Set { get; init; } = [];

    public TimeSpan? DurationValue => Duration is null ? null : GoDuration.Parse(Duration);

    /// <summary>Whether to draw a progress bar: on a terminal only, so redirected output stays plain.</summary>
    internal static bool OnTerminal => !Console.IsOutputRedirected && !Console.IsErrorRedirected;

    /// <summary>The scenario, or null after writing every problem in the file to <paramref name="errors"/>, one per line.</summary>
    internal Scenario? LoadScenario(TextWriter errors)
    {
        var overrides = new List<ScenarioOverride>();
        foreach (string text in Set)
        {
            if (ScenarioOverride.TryParse(text, out var change, out string error)) overrides.Add(change!);
            else errors.WriteLine($"pipelinesim: --set: {error}");
        }
        if (overrides.Count < Set.Length) return null;
        var loaded = ScenarioLoader.Load(File, overrides);
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

    [CommandOption("--json")]
    [Description("Print summary.json on stdout instead of the console view (the files are written as usual).")]
    public bool Json { get; init; }

    [CommandOption("--records <FORMAT>")]
    [Description("How to write the push and attempt records: csv (pushes.csv, attempts.csv) or parquet (pushes.parquet, attempts.parquet).")]
    [DefaultValue("csv")]
    public string Records { get; init; } = "csv";

    [CommandOption("--metrics <FORMAT>")]
    [Description("csv writes metrics.csv; openmetrics also writes metrics.om, OpenMetrics text with timestamps for promtool tsdb create-blocks-from openmetrics.")]
    [DefaultValue("csv")]
    public string Metrics { get; init; } = "csv";

    [CommandOption("--start <TIME>")]
    [Description("The wall-clock instant of the run's time 0 in metrics.om, RFC 3339 (default 2026-01-01T00:00:00Z).")]
    public string? Start { get; init; }

    /// <summary>The output formats these options ask for (call after <see cref="Validate"/> passed).</summary>
    internal RunFormats Formats => new()
    {
        Records = Records == "parquet" ? RecordFormat.Parquet : RecordFormat.Csv,
        OpenMetrics = Metrics == "openmetrics",
        Start = Start is null ? OpenMetricsRecordSink.DefaultStart : RunFormats.ParseStart(Start)!.Value,
    };

    public override ValidationResult Validate()
    {
        var problem = base.Validate();
        if (!problem.Successful) return problem;
        if (LiveCommandSupport.CheckOutputDirectory("--out", Out) is { } badOut) return badOut;
        if (Records is not ("csv" or "parquet")) return ValidationResult.Error($"--records: '{Records}' is not csv or parquet");
        if (Metrics is not ("csv" or "openmetrics")) return ValidationResult.Error($"--metrics: '{Metrics}' is not csv or openmetrics");
        if (Start is not null && RunFormats.ParseStart(Start) is null)
            return ValidationResult.Error($"--start: '{Start}' is not an RFC 3339 time with a zone at or after 1970, such as 2026-01-01T00:00:00Z");
        return ValidationResult.Success();
    }
}
