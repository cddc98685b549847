using PipelineSim.Cli.Running;
using PipelineSim.Scenarios.Expect;
using Spectre.Console;

namespace PipelineSim.Cli.Rendering;

/// <summary>How a run's <c>expect:</c> claims fared, and the exit code that follows from them.</summary>
internal static class ExpectationsView
{
    public const int ExpectationFailed = 1;

    /// <summary>
    /// Every claim in file order on the output (those left unchecked after them, with the reason); the verdict line on
    /// stderr, so a failure shows in any pipe. Returns 0 when every checked claim holds, 1 otherwise.
    /// </summary>
    public static int Report(IReadOnlyList<ExpectOutcome> outcomes, IAnsiConsole output, TextWriter errors, IReadOnlyList<UncheckedExpectation>? notChecked = null)
    {
        foreach (var outcome in outcomes)
        {
            if (outcome.Passed) output.MarkupLineInterpolated($"[green]ok[/]     {outcome}");
            else output.MarkupLineInterpolated($"[red]FAILED[/] {outcome}");
        }
        foreach (var skipped in notChecked ?? []) output.MarkupLineInterpolated($"[yellow]skipped[/] {skipped}");
        if (outcomes.Count == 0) return 0;
        int failed = outcomes.Count(e => !e.Passed);
        if (failed == 0)
        {
            output.MarkupLineInterpolated($"[green]all {outcomes.Count} expectations hold[/]");
            return 0;
        }
        errors.WriteLine($"pipelinesim: {failed} of {outcomes.Count} expectations failed in {outcomes[0].Expectation.File}");
        return ExpectationFailed;
    }
}
