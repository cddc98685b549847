using System.Globalization;
using System.Text.RegularExpressions;
using PipelineSim.Core.Time;

namespace PipelineSim.Live.Backend;

/// <summary>A distribution of durations (a backend's latency), sampled from a caller's seeded random stream.</summary>
public abstract record DurationDistribution
{
    public abstract TimeSpan Sample(Random random);

    public static DurationDistribution Fixed(TimeSpan value) => new FixedDuration(value);

    /// <summary>
    /// <c>700ms</c> (fixed), <c>uniform(500ms, 1s)</c>, <c>exponential(700ms)</c> (by its mean) or
    /// <c>lognormal(700ms, 0.4)</c> (by its mean and the sigma of the underlying normal).
    /// </summary>
    public static bool TryParse(string text, out DurationDistribution distribution, out string error)
    {
        distribution = Fixed(TimeSpan.Zero);
        var call = Regex.Match(text.Trim(), @"^(?<name>[a-z]+)\((?<args>[^)]*)\)$");
        if (!call.Success)
        {
            if (!GoDuration.TryParse(text.Trim(), out var fixedValue, out error)) return false;
            distribution = Fixed(fixedValue);
            return Check(fixedValue, out error);
        }
        string[] args = call.Groups["args"].Value.Split(',', StringSplitOptions.TrimEntries);
        string name = call.Groups["name"].Value;
        switch (name, args.Length)
        {
            case ("uniform", 2):
                if (!Duration(args[0], out var low, out error) || !Duration(args[1], out var high, out error)) return false;
                if (high < low) return Fail($"uniform({args[0]}, {args[1]}): the upper bound is below the lower", out error);
                distribution = new UniformDuration(low, high);
                return true;
            case ("exponential", 1):
                if (!Duration(args[0], out var mean, out error)) return false;
                distribution = new ExponentialDuration(mean);
                return true;
            case ("lognormal", 2):
                if (!Duration(args[0], out var logMean, out error)) return false;
                if (!double.TryParse(args[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double sigma) || sigma < 0)
                    return Fail($"lognormal sigma \"{args[1]}\" is not a non-negative number", out error);
                distribution = new LogNormalDuration(logMean, sigma);
                return true;
            default:
                return Fail($"unknown distribution \"{text}\" (expected a duration, uniform(a, b), exponential(mean) or lognormal(mean, sigma))", out error);
        }
    }

    public static DurationDistribution Parse(string text) =>
        TryParse(text, out var distribution, out string error) ? distribution : throw new FormatException(error);

    private static bool Duration(string text, out TimeSpan value, out string error) =>
        GoDuration.TryParse(text, out value, out error) && Check(value, out error);

    private static bool Check(TimeSpan value, out string error)
    {
        error = value < TimeSpan.Zero ? $"duration {GoDuration.Format(value)} is negative" : "";
        return error.Length == 0;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}

public sealed record FixedDuration(TimeSpan Value) : DurationDistribution
{
    public override TimeSpan Sample(Random random) => Value;

    public override string ToString() => GoDuration.Format(Value);
}

public sealed record UniformDuration(TimeSpan Low, TimeSpan High) : DurationDistribution
{
    public override TimeSpan Sample(Random random) =>
        Low + TimeSpan.FromTicks((long)(random.NextDouble() * (High - Low).Ticks));

    public override string ToString() => $"uniform({GoDuration.Format(Low)}, {GoDuration.Format(High)})";
}

public sealed record ExponentialDuration(TimeSpan Mean) : DurationDistribution
{
    public override TimeSpan Sample(Random random) =>
        TimeSpan.FromTicks((long)(-Math.Log(1 - random.NextDouble()) * Mean.Ticks));

    public override string ToString() => $"exponential({GoDuration.Format(Mean)})";
}

/// <summary>Log-normal with the given mean: the underlying normal has mu = ln(mean) - sigma²/2.</summary>
public sealed record LogNormalDuration(TimeSpan Mean, double Sigma) : DurationDistribution
{
    public override TimeSpan Sample(Random random) => TimeSpan.FromSeconds(Sampling.LogNormal(random, Mean.TotalSeconds, Sigma));

    public override string ToString() =>
        $"lognormal({GoDuration.Format(Mean)}, {Sigma.ToString(CultureInfo.InvariantCulture)})";
}
