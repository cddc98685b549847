using PipelineSim.Scenarios.Values;

namespace PipelineSim.Scenarios.Expect;

/// <summary>A metric's value as an assertion saw it.</summary>
public sealed record MetricValue(string Reference, double Value, Dimension Dimension)
{
    public override string ToString() => $"{Reference} = {Quantity.Format(Value, Dimension)}";
}

/// <summary>
/// How one assertion fared: passed, failed on the values shown, or could not be checked (<see cref="Error"/>).
/// <see cref="ToString"/> is the line to show the user, e.g.
/// <c>scenario.yaml:31:5: expect[0]: failed: w1.pushes.failed > 0 (w1.pushes.failed = 0)</c>.
/// </summary>
public sealed record ExpectOutcome(Expectation Expectation, bool Passed, IReadOnlyList<MetricValue> Values, string? Error)
{
    public override string ToString()
    {
        var e = Expectation;
        string verdict = Passed ? "passed" : "failed";
        string detail = Error ?? string.Join(", ", Values);
        string where = $"{e.File}:{e.Position}: {e.Path}";
        return detail.Length == 0 ? $"{where}: {verdict}: {e.Text}" : $"{where}: {verdict}: {e.Text} ({detail})";
    }
}
