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
            if (outcome.Passed) Line(output, "green", "ok    ", outcome.ToString());
            else Line(output, "red", "FAILED", outcome.ToString());
        }
        foreach (var skipped in notChecked ?? []) Line(output, "yellow", "skipped", skipped.ToString());
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

    /// <summary>
    /// One claim, one line: on a terminal in colour (wrapped at its width like any console text); redirected, as plain
    /// text never wrapped, so a log or a grep sees the whole claim with its values on the line it starts on.
    /// </summary>
    private static void Line(IAnsiConsole output, string colour, string label, string text)
    {
        if (output.Profile.Out.IsTerminal)
        {
            output.MarkupLine($"[{colour}]{label}[/] {Markup.Escape(text)}");
            return;
        }
        output.Profile.Out.Writer.WriteLine($"{label} {text}");
        output.Profile.Out.Writer.Flush();
    }
}
