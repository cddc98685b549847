using PipelineSim.Scenarios.Values;

namespace PipelineSim.Scenarios.Expect;

/// <summary>One side of an assertion: a literal, a metric, or arithmetic on them. <see cref="Offset"/> is where the
/// term starts in the assertion's text.</summary>
public abstract record ExpectTerm(int Offset)
{
    /// <summary>What the term measures: a metric's dimension, or a literal's (a plain number fits any).</summary>
    public abstract Dimension Dimension { get; }

    /// <summary>The metrics the term reads, left to right.</summary>
    public abstract IEnumerable<MetricTerm> Metrics { get; }
}

public sealed record LiteralTerm(Quantity Value, string Text, int Offset) : ExpectTerm(Offset)
{
    public override Dimension Dimension => Value.Dimension;

    public override IEnumerable<MetricTerm> Metrics => [];

    public override string ToString() => Text;
}

/// <summary><c>component.metric.path</c>: <see cref="Metric"/> is the path after the component name.</summary>
public sealed record MetricTerm(string Component, string Metric, Dimension MetricDimension, int Offset) : ExpectTerm(Offset)
{
    public string Reference => $"{Component}.{Metric}";

    public override Dimension Dimension => MetricDimension;

    public override IEnumerable<MetricTerm> Metrics => [this];

    public override string ToString() => Reference;
}

public sealed record BinaryTerm(char Operator, ExpectTerm Left, ExpectTerm Right, Dimension ResultDimension, int Offset) : ExpectTerm(Offset)
{
    public override Dimension Dimension => ResultDimension;

    public override IEnumerable<MetricTerm> Metrics => Left.Metrics.Concat(Right.Metrics);

    public override string ToString() => $"({Left} {Operator} {Right})";
}

public sealed record NegateTerm(ExpectTerm Operand, int Offset) : ExpectTerm(Offset)
{
    public override Dimension Dimension => Operand.Dimension;

    public override IEnumerable<MetricTerm> Metrics => Operand.Metrics;

    public override string ToString() => $"-{Operand}";
}

public enum Comparison
{
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
}
