using System.ComponentModel;
using PipelineSim.Scenarios;
using Spectre.Console.Cli;

namespace PipelineSim.Cli.Commands;

/// <summary>
/// <c>pipelinesim validate FILE</c>: loads a scenario without running it. Prints one OK line and exits 0, or prints
/// every problem, one per line (<c>file:line:col: path: message</c>), to stderr and exits with
/// <see cref="PipelineSimApp.UsageError"/>.
/// </summary>
internal sealed class ValidateCommand : Command<ValidateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("The scenario YAML file to check.")]
        public string File { get; init; } = "";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        Run(settings.File, Console.Out, Console.Error);

    internal static int Run(string file, TextWriter output, TextWriter errors)
    {
        var result = ScenarioLoader.Load(file);
        if (!result.IsOk)
        {
            foreach (var problem in result.Error) errors.WriteLine(problem);
            return PipelineSimApp.UsageError;
        }
        output.WriteLine($"{file}: OK ({Summary(result.Value)})");
        return 0;
    }

    private static string Summary(Scenario scenario)
    {
        var p = scenario.Pipeline;
        int agents = p.Sources.Sum(s => s.Count);
        return $"{p.Name}: {Count(p.Sources.Count, "source")} with {Count(agents, "agent")}, {Count(p.Components.Count, "component")}, " +
            $"{Count(p.Links.Count, "link")}, {Count(p.Faults.Count, "fault")}, {Count(scenario.Expectations.Count, "expectation")}";
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
