using System.Globalization;
using MathNet.Numerics.Distributions;

namespace PipelineSim.Spec;

/// <summary>
/// A distribution of real values (seconds, bytes, counts: the caller picks the unit). Immutable and shared: every
/// draw takes the stream to draw from, so one distribution serves many components with their own streams.
/// </summary>
public interface IDistribution
{
    double Sample(Random random);

    double Mean { get; }
}

/// <summary>The named distributions scenario files use, drawing through MathNet.Numerics' samplers.</summary>
public static class Distributions
{
    public static IDistribution Constant(double value) => new ConstantDistribution(value);

    public static IDistribution Uniform(double min, double max) => new UniformDistribution(min, max);

    public static IDistribution Exponential(double mean) => new ExponentialDistribution(mean);

    /// <summary>A lognormal with the given mean (of the values themselves) and <paramref name="sigma"/> (of their logarithm).</summary>
    public static IDistribution LogNormal(double mean, double sigma) => new LogNormalDistribution(mean, sigma);

    /// <summary>Picks one of the observed <paramref name="values"/> uniformly.</summary>
    public static IDistribution Empirical(IReadOnlyList<double> values) => new EmpiricalDistribution(values);

    /// <summary>Whether <paramref name="distribution"/> always gives one value (a constant), and which.</summary>
    public static bool IsConstant(IDistribution distribution, out double value)
    {
        bool constant = distribution is ConstantDistribution;
        value = constant ? distribution.Mean : double.NaN;
        return constant;
    }

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

internal sealed record ConstantDistribution(double Value) : IDistribution
{
    public double Mean => Value;

    public double Sample(Random random) => Value;

    public override string ToString() => $"constant({Distributions.Format(Value)})";
}

internal sealed record UniformDistribution : IDistribution
{
    public UniformDistribution(double min, double max)
    {
        if (!(min <= max) || !double.IsFinite(min) || !double.IsFinite(max))
            throw new ArgumentException($"uniform needs finite min <= max, got {min} and {max}.");
        Min = min;
        Max = max;
    }

    public double Min { get; }

    public double Max { get; }

    public double Mean => (Min + Max) / 2;

    public double Sample(Random random) => Min + (Max - Min) * random.NextDouble();

    public override string ToString() => $"uniform({Distributions.Format(Min)}, {Distributions.Format(Max)})";
}

internal sealed record ExponentialDistribution : IDistribution
{
    private readonly double rate;

    public ExponentialDistribution(double mean)
    {
        if (!(mean > 0) || !double.IsFinite(mean)) throw new ArgumentException($"exponential needs a positive finite mean, got {mean}.");
        Mean = mean;
        rate = 1 / mean;
    }

    public double Mean { get; }

    public double Sample(Random random) => MathNet.Numerics.Distributions.Exponential.Sample(random, rate);

    public override string ToString() => $"exponential(mean: {Distributions.Format(Mean)})";
}

internal sealed record LogNormalDistribution : IDistribution
{
    private readonly double mu;

    public LogNormalDistribution(double mean, double sigma)
    {
        if (!(mean > 0) || !double.IsFinite(mean)) throw new ArgumentException($"lognormal needs a positive finite mean, got {mean}.");
        if (!(sigma >= 0) || !double.IsFinite(sigma)) throw new ArgumentException($"lognormal needs a finite sigma >= 0, got {sigma}.");
        Mean = mean;
        Sigma = sigma;
        // E[X] = exp(mu + sigma²/2), so the mu that gives the requested mean:
        mu = Math.Log(mean) - sigma * sigma / 2;
    }

    public double Mean { get; }

    public double Sigma { get; }

    public double Sample(Random random) =>
        Sigma == 0 ? Mean : MathNet.Numerics.Distributions.LogNormal.Sample(random, mu, Sigma);

    public override string ToString() => $"lognormal(mean: {Distributions.Format(Mean)}, sigma: {Distributions.Format(Sigma)})";
}

internal sealed class EmpiricalDistribution : IDistribution
{
    private readonly double[] values;

    public EmpiricalDistribution(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("empirical needs at least one value.");
        if (values.Any(v => !double.IsFinite(v))) throw new ArgumentException("empirical needs finite values.");
        this.values = [.. values];
        Mean = this.values.Average();
    }

    public double Mean { get; }

    public double Sample(Random random) => values[random.Next(values.Length)];

    public override string ToString() => $"empirical([{string.Join(", ", values.Select(Distributions.Format))}])";
}
