using PipelineSim.Spec;
using PipelineSim.Analysis.Records;
using PipelineSim.Analysis.Summary;
using PipelineSim.Model;
using PipelineSim.Scenarios;
using PipelineSim.Scenarios.Expect;

namespace PipelineSim.Cli.Running;

/// <summary>
/// What <c>summary.json</c> holds beyond the records' summary: what ran, the backends' figures and every
/// <c>expect:</c> claim with its values and verdict. Written once the claims are checked.
/// </summary>
internal static class SummaryDetails
{
    public static RunSummary With(
        RunSummary summary, Scenario scenario, RunInfo run, IEnumerable<BackendResult> backends,
        IReadOnlyList<ExpectOutcome> outcomes, IReadOnlyList<UncheckedExpectation>? notChecked = null) => summary with
    {
        Run = run,
        Backends = [.. backends.OrderBy(b => b.Backend, StringComparer.Ordinal).Select(b => new BackendSummary
        {
            Backend = b.Backend,
            Requests = b.Requests,
            Ingested = b.Ingested,
            Rejected = b.Rejected,
            PeakConnections = b.PeakConnections,
        })],
        Expectations = Expectations(scenario, outcomes, notChecked ?? []),
    };

    public static RunInfo Info(Scenario scenario, string mode, ulong seed, TimeSpan duration, double? timeScale = null) => new()
    {
        Scenario = scenario.Pipeline.Name,
        File = scenario.File,
        Mode = mode,
        Seed = seed,
        Duration = duration,
        TimeScale = timeScale,
        ToolVersion = PipelineSimApp.Version,
    };

    /// <summary>The claims in the order the file lists them, checked or not.</summary>
    private static List<ExpectationResult> Expectations(
        Scenario scenario, IReadOnlyList<ExpectOutcome> outcomes, IReadOnlyList<UncheckedExpectation> notChecked)
    {
        var results = new List<ExpectationResult>(scenario.Expectations.Count);
        foreach (var expectation in scenario.Expectations)
        {
            if (outcomes.FirstOrDefault(o => o.Expectation == expectation) is { } outcome)
            {
                results.Add(Result(expectation, outcome.Passed ? "passed" : "failed",
                    outcome.Values.ToDictionary(v => v.Reference, v => v.Value), outcome.Error));
            }
            else if (notChecked.FirstOrDefault(n => n.Expectation == expectation) is { } skipped)
            {
                results.Add(Result(expectation, "not_checked", new Dictionary<string, double>(), skipped.Reason));
            }
        }
        return results;
    }

    private static ExpectationResult Result(Expectation e, string verdict, IReadOnlyDictionary<string, double> values, string? reason) => new()
    {
        Text = e.Text,
        Path = e.Path,
        Line = e.Position.Line,
        Column = e.Position.Column,
        Verdict = verdict,
        Values = values,
        Reason = reason,
    };
}
