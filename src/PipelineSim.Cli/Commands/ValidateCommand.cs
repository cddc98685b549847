using System.ComponentModel;
using PipelineSim.Scenarios;
using Spectre.Console.Cli;

namespace PipelineSim.Cli.Commands;

/// <summary>
/// <c>pipelinesim validate FILE...</c>: loads scenarios without running them (<c>-</c> reads one from stdin). Prints
/// one OK line per valid file; every problem of every other file goes to stderr, one per line
/// (<c>file:line:col: path: message</c>). Exits 0 when every file is valid, <see cref="PipelineSimApp.UsageError"/>
/// otherwise.
/// </summary>
internal sealed class ValidateCommand : Command<ValidateCommand.Settings>
{
    /// <summary>How a scenario read from stdin is named, in messages and on the parsed command line.</summary>
    public const string StdinName = "<stdin>";

    /// <summary>
    /// Spectre.Console.Cli reads a lone <c>-</c> as an option without a name, so <c>validate -</c> is handed to it with
    /// the dash already replaced by <see cref="StdinName"/>.
    /// </summary>
    public static string[] StdinDashAsName(string[] args) =>
        args.Length > 0 && args[0] == "validate" ? [.. args.Select(a => a == "-" ? StdinName : a)] : args;

    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<FILES>")]
        [Description("The scenario YAML files to check; - reads one from stdin.")]
        public string[] Files { get; init; } = [];

        public override Spectre.Console.ValidationResult Validate() =>
            Files.Count(IsStdin) > 1
                ? Spectre.Console.ValidationResult.Error("- (stdin) can be given once")
                : Spectre.Console.ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        Run(settings.Files, Console.In, Console.Out, Console.Error);

    /// <summary>Checks every file in order; 0 when all are valid.</summary>
    internal static int Run(IReadOnlyList<string> files, TextReader stdin, TextWriter output, TextWriter errors)
    {
        int status = 0;
        foreach (string file in files)
        {
            if (Run(file, stdin, output, errors) != 0) status = PipelineSimApp.UsageError;
        }
        return status;
    }

    internal static int Run(string file, TextReader stdin, TextWriter output, TextWriter errors)
    {
        string name = IsStdin(file) ? StdinName : file;
        var result = IsStdin(file) ? ScenarioLoader.Parse(stdin.ReadToEnd(), StdinName) : ScenarioLoader.Load(file);
        if (!result.IsOk)
        {
            foreach (var problem in result.Error) errors.WriteLine(problem);
            return PipelineSimApp.UsageError;
        }
        output.WriteLine($"{name}: OK ({Summary(result.Value)})");
        return 0;
    }

    internal static int Run(string file, TextWriter output, TextWriter errors) => Run(file, TextReader.Null, output, errors);

    private static bool IsStdin(string file) => file is "-" or StdinName;

    private static string Summary(Scenario scenario)
    {
        var p = scenario.Pipeline;
        int agents = p.Sources.Sum(s => s.Count);
        return $"{p.Name}: {Count(p.Sources.Count, "source")} with {Count(agents, "agent")}, {Count(p.Components.Count, "component")}, " +
            $"{Count(p.Links.Count, "link")}, {Count(p.Faults.Count, "fault")}, {Count(scenario.Expectations.Count, "expectation")}";
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
