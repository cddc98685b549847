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

    public ExpectOutcome Evaluate(IExpectContext context)
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
        if (missing.Count > 0) return new ExpectOutcome(this, false, values, $"the run has no value for {string.Join(", ", missing)}");

        double left = Compute(Left, values), right = Compute(Right, values);
        if (double.IsNaN(left) || double.IsNaN(right)) return new ExpectOutcome(this, false, values, "the expression is not a number (0/0?)");
        return new ExpectOutcome(this, Holds(left, right), values, null);
    }

    private bool Holds(double left, double right)
    {
        bool equal = left == right || Math.Abs(left - right) <= Tolerance * Math.Max(1, Math.Max(Math.Abs(left), Math.Abs(right)));
        return Comparison switch
        {
            Comparison.Less => left < right && !equal,
            Comparison.LessOrEqual => left < right || equal,
            Comparison.Greater => left > right && !equal,
            Comparison.GreaterOrEqual => left > right || equal,
            Comparison.Equal => equal,
            Comparison.NotEqual => !equal,
            _ => throw new InvalidOperationException($"unknown comparison {Comparison}"),
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
