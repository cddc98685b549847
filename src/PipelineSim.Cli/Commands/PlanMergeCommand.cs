using System.ComponentModel;
using PipelineSim.Analysis.Planning;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PipelineSim.Cli.Commands;

/// <summary>
/// <c>pipelinesim plan merge DIR...</c>: puts a sharded sweep back together from its partial results and writes and
/// prints the same plan an unsharded run would have, byte for byte. Exit codes as for <c>plan</c>.
/// </summary>
internal sealed class PlanMergeCommand : Command<PlanMergeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DIR>")]
        [Description("Directories holding the shards' plan.shard-i-of-n.csv and .json files.")]
        public string[] Directories { get; init; } = [];

        [CommandOption("--out <DIR>")]
        [Description("Where to write the plan (default: the first DIR).")]
        public string? Out { get; init; }

        public override ValidationResult Validate() => LiveCommandSupport.CheckOutputDirectory("--out", Out) ?? ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        Run(settings, AnsiConsole.Console, Console.Error);

    internal static int Run(Settings settings, IAnsiConsole output, TextWriter errors)
    {
        MergedSweep merged;
        try
        {
            merged = PlanFiles.ReadShards(settings.Directories);
        }
        catch (PlanException e)
        {
            foreach (string problem in e.Problems) errors.WriteLine($"pipelinesim plan merge: {problem}");
            return PipelineSimApp.UsageError;
        }
        string directory = settings.Out ?? settings.Directories[0];
        try
        {
            var plan = PlanEvaluator.Evaluate(merged.Sweep, merged.Facts, merged.Runs);
            return Report(plan, merged.Runs, directory, output, errors);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"pipelinesim plan merge: cannot write results to {directory}: {e.Message}");
            return PipelineSimApp.UsageError;
        }
    }

    /// <summary>Writes a whole plan's files, prints it, and returns the exit code: shared by plan and plan merge.</summary>
    internal static int Report(PlanResult plan, IReadOnlyList<CellResult> runs, string directory, IAnsiConsole output, TextWriter errors)
    {
        PlanFiles.WriteResult(directory, plan, runs);
        // Wrapped for the terminal, and written past Spectre's own wrapping so a wide table overflows rather than breaks.
        int width = Math.Min(PlanText.Width, Math.Max(60, output.Profile.Width));
        output.Profile.Out.Writer.Write(PlanText.Render(plan, width));
        output.MarkupLineInterpolated($"results in [bold]{directory}[/]");
        if (plan.HasRecommendation) return 0;
        errors.WriteLine("pipelinesim plan: no swept conn_limit meets the SLOs; see the notes above");
        return PlanCommand.NoRecommendation;
    }
}
