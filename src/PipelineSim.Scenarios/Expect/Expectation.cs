using PipelineSim.Scenarios.Problems;

namespace PipelineSim.Scenarios.Expect;

/// <summary>
/// One parsed <c>expect:</c> assertion with where it was written, checked after a run by <see cref="Evaluate"/>.
/// </summary>
public sealed record Expectation(
    string Text, ExpectTerm Left, Comparison Comparison, ExpectTerm Right, string File, TextPosition Position, string Path)
{
    /// <summary>Two values this close (relative, or absolute near zero) count as equal, so sums of decimals compare
    /// as a reader expects.</summary>
    private const double Tolerance = 1e-9;

    /// <summary>
    /// Parses an assertion written outside a scenario file (a command-line option such as <c>plan --slo</c>), checked
    /// against the scenario's names as <c>expect:</c> is. <paramref name="origin"/> names where it came from, for
    /// <see cref="File"/> and <see cref="Path"/>; the error says what is wrong and at which character.
    /// </summary>
    /// <param name="kinds">Every component and source name with its kind (<see cref="Scenario.Kinds"/>).</param>
    public static bool TryParse(string text, IReadOnlyDictionary<string, string> kinds, string origin,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Expectation? expectation, out string error)
    {
        expectation = null;
        if (!ExpectParser.TryParse(text, kinds, out var assertion, out var failure))
        {
            error = $"{failure.Message} at character {failure.Offset + 1}";
            return false;
        }
        error = "";
        expectation = new Expectation(text, assertion.Left, assertion.Comparison, assertion.Right, origin, new TextPosition(1, 1), origin);
        return true;
    }

    /// <summary>
    /// Both sides of the assertion computed from a run: what <see cref="Evaluate"/> compares, and what a planner
    /// averages over replications. Null sides, with <see cref="ExpectMeasure.Error"/>, when a metric has no value.
    /// </summary>
    public ExpectMeasure Measure(IExpectContext context)
    {
        var values = new List<MetricValue>();
        var missing = new List<string>();
        foreach (var metric in Left.Metrics.Concat(Right.Metrics))
        {
            if (values.Any(v => v.Reference == metric.Reference) || missing.Contains(metric.Reference)) continue;
            if (context.TryGetMetric(metric.Component, metric.Metric, out double value))
            {
                values.Add(new MetricValue(metric.Reference, value, metric.Dimension));
            }
            else
            {
                missing.Add(metric.Reference);
            }
        }
        if (missing.Count > 0) return new ExpectMeasure(null, null, values, $"the run has no value for {string.Join(", ", missing)}");

        double left = Compute(Left, values), right = Compute(Right, values);
        if (double.IsNaN(left) || double.IsNaN(right)) return new ExpectMeasure(null, null, values, "the expression is not a number (0/0?)");
        return new ExpectMeasure(left, right, values, null);
    }

    public ExpectOutcome Evaluate(IExpectContext context)
    {
        var measure = Measure(context);
        return measure is { Left: double left, Right: double right }
            ? new ExpectOutcome(this, Holds(left, right), measure.Values, null)
            : new ExpectOutcome(this, false, measure.Values, measure.Error);
    }

    /// <summary>Whether <paramref name="left"/> stands in this assertion's comparison to <paramref name="right"/>, equal within a relative 1e-9.</summary>
    public bool Holds(double left, double right) => Compare(Comparison, left, right);

    /// <inheritdoc cref="Holds"/>
    public static bool Compare(Comparison comparison, double left, double right)
    {
        bool equal = left == right || Math.Abs(left - right) <= Tolerance * Math.Max(1, Math.Max(Math.Abs(left), Math.Abs(right)));
        return comparison switch
        {
            Comparison.Less => left < right && !equal,
            Comparison.LessOrEqual => left < right || equal,
            Comparison.Greater => left > right && !equal,
            Comparison.GreaterOrEqual => left > right || equal,
            Comparison.Equal => equal,
            Comparison.NotEqual => !equal,
            _ => throw new InvalidOperationException($"unknown comparison {comparison}"),
        };
    }

    private static double Compute(ExpectTerm term, List<MetricValue> values) => term switch
    {
        LiteralTerm literal => literal.Value.Value,
        MetricTerm metric => values.First(v => v.Reference == metric.Reference).Value,
        NegateTerm negate => -Compute(negate.Operand, values),
        BinaryTerm binary => binary.Operator switch
        {
            '+' => Compute(binary.Left, values) + Compute(binary.Right, values),
            '-' => Compute(binary.Left, values) - Compute(binary.Right, values),
            '*' => Compute(binary.Left, values) * Compute(binary.Right, values),
            '/' => Compute(binary.Left, values) / Compute(binary.Right, values),
            _ => throw new InvalidOperationException($"unknown operator {binary.Operator}"),
        },
        _ => throw new InvalidOperationException($"unknown term {term.GetType().Name}"),
    };

    public override string ToString() => Text;
}

/// <summary>The two sides of an assertion as one run computed them; both null when it could not (<see cref="Error"/>).</summary>
public sealed record ExpectMeasure(double? Left, double? Right, IReadOnlyList<MetricValue> Values, string? Error);
