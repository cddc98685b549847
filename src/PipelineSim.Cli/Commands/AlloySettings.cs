using System.ComponentModel;
using PipelineSim.Alloy.Config;
using PipelineSim.Alloy.Evaluation;
using PipelineSim.Alloy.Syntax;
using PipelineSim.Core.Time;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PipelineSim.Cli.Commands;

/// <summary>What <c>lint</c> and <c>import</c> both take: Alloy files, the fleet, and values the files cannot tell.</summary>
public class AlloySettings : CommandSettings
{
    [CommandArgument(0, "<FILES>")]
    [Description("Alloy files read together (an agents' config and a receiver tier's config are the usual pair).")]
    public string[] Files { get; init; } = [];

    [CommandOption("--agents <N>")]
    [Description("Agents running the agents' config.")]
    public int? Agents { get; init; }

    [CommandOption("--push-interval <DURATION>")]
    [Description("Replaces the sources' intervals (Go syntax: 15s, 1m).")]
    public string? PushInterval { get; init; }

    [CommandOption("--latency <DIST>")]
    [Description("Backend latency as a scenario distribution, like \"lognormal(mean: 700ms, sigma: 0.4)\".")]
    public string? Latency { get; init; }

    [CommandOption("--env <NAME=VALUE>")]
    [Description("Supplies an environment variable the files read with sys.env (repeatable).")]
    public string[] Env { get; init; } = [];

    [CommandOption("--set <ID.ATTR=VALUE>")]
    [Description("Sets an attribute, like pyroscope.write.w1.endpoint.remote_timeout=30s (repeatable).")]
    public string[] Set { get; init; } = [];

    public TimeSpan? PushIntervalValue => PushInterval is null ? null : GoDuration.Parse(PushInterval);

    public override ValidationResult Validate()
    {
        if (Files.Length == 0) return ValidationResult.Error("give at least one .alloy file");
        if (Agents is < 1) return ValidationResult.Error("--agents must be at least 1");
        if (PushInterval is not null && (!GoDuration.TryParse(PushInterval, out var interval, out string error) || interval <= TimeSpan.Zero))
        {
            return ValidationResult.Error($"--push-interval: {(interval <= TimeSpan.Zero && error.Length == 0 ? "must be greater than 0" : error)}");
        }
        foreach (string pair in Env.Concat(Set))
        {
            if (pair.IndexOf('=') <= 0) return ValidationResult.Error($"expected NAME=VALUE, got \"{pair}\"");
        }
        return ValidationResult.Success();
    }

    /// <summary>The <c>--env</c> and <c>--set</c> values. A <c>--set</c> value is read as an Alloy expression when it
    /// is one (<c>30</c>, <c>"30s"</c>, <c>true</c>), else taken as a string (<c>30s</c>, <c>http://r:8080</c>).</summary>
    internal AlloyInputs Inputs()
    {
        var environment = Env.Select(Split).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var settings = new Dictionary<string, AlloyValue>(StringComparer.Ordinal);
        foreach (var (key, text) in Set.Select(Split))
        {
            var (expression, errors) = Parser.ParseExpression("--set", text);
            var value = expression is null || errors.Count > 0
                ? null
                : new Evaluator(new NoReferences(), environment).Evaluate(expression);
            settings[key] = value is null or UnknownValue ? new StringValue(text) : value;
        }
        return new AlloyInputs { Environment = environment, Settings = settings };
    }

    private static KeyValuePair<string, string> Split(string pair)
    {
        int at = pair.IndexOf('=');
        return KeyValuePair.Create(pair[..at], pair[(at + 1)..]);
    }

    private sealed class NoReferences : IScope
    {
        public (AlloyValue Value, int Used)? Resolve(IReadOnlyList<string> path, SourcePosition at) => null;
    }
}
