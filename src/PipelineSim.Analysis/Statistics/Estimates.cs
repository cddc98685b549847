using MathNet.Numerics.Distributions;

namespace PipelineSim.Analysis.Statistics;

/// <summary>
/// Confidence intervals the capacity planner reports per sweep point: the mean of a metric over independent
/// replications (Student t), and a proportion such as the delivered fraction over pooled trials (Wilson score),
/// widened by the spread between replications when they disagree.
/// </summary>
public static class Estimates
{
    public const double DefaultLevel = 0.95;

    /// <summary>
    /// Mean of independent replications with the Student t interval x̄ ± t(1-α/2, n-1)·s/√n (s the sample standard
    /// deviation, n-1 in the denominator). One replication gives an unbounded interval: nothing is known of the
    /// spread. Identical replications give a zero-width interval.
    /// </summary>
    public static ConfidenceInterval Mean(IReadOnlyCollection<double> replications, double level = DefaultLevel)
    {
        CheckLevel(level);
        int n = replications.Count;
        if (n == 0) throw new ArgumentException("A mean needs at least one replication.", nameof(replications));
        double mean = replications.Average();
        if (n == 1) return new ConfidenceInterval(mean, double.NegativeInfinity, double.PositiveInfinity, level);

        double sumOfSquares = 0;
        foreach (double x in replications) sumOfSquares += (x - mean) * (x - mean);
        double standardError = Math.Sqrt(sumOfSquares / (n - 1) / n);
        double t = StudentT.InvCDF(0, 1, n - 1, 1 - (1 - level) / 2);
        return new ConfidenceInterval(mean, mean - t * standardError, mean + t * standardError, level);
    }

    /// <summary>
    /// Wilson score interval for a proportion: (p̂ + z²/2n ± z·√(p̂(1-p̂)/n + z²/4n²)) / (1 + z²/n). Unlike the normal
    /// approximation it stays inside [0, 1] and is sound at p̂ = 0 or 1, the usual case for a delivered fraction.
    /// </summary>
    public static ConfidenceInterval Proportion(long successes, long trials, double level = DefaultLevel)
    {
        CheckLevel(level);
        if (trials <= 0) throw new ArgumentOutOfRangeException(nameof(trials), trials, "A proportion needs at least one trial.");
        if (successes < 0 || successes > trials)
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"Successes must be in [0, {trials}].");

        double n = trials;
        double p = successes / n;
        double z = Normal.InvCDF(0, 1, 1 - (1 - level) / 2);
        double z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
        // At p = 0 or 1 the bound is exactly 0 or 1; clamping removes rounding noise there.
        return new ConfidenceInterval(p, Math.Max(0, centre - half), Math.Min(1, centre + half), level);
    }

    /// <summary>
    /// A proportion over replications, such as the delivered fraction of a sweep point: the pooled fraction, with
    /// the wider of two intervals. Wilson's, over the pooled trials, is sound at 0 and 1 but takes every trial as
    /// independent, while the trials of one run share its luck (one stall fails many pushes at once), so it is too
    /// narrow when runs disagree; Student's t over the runs' own fractions sees that spread but has no width when
    /// every run gives the same fraction (all delivered). Their hull is honest in both cases. With one run, or a run
    /// that had no trials (no fraction), there is no spread to see and the pooled interval stands alone.
    /// </summary>
    public static ConfidenceInterval ProportionOverReplications(IReadOnlyList<(long Successes, long Trials)> runs, double level = DefaultLevel)
    {
        CheckLevel(level);
        if (runs.Count == 0) throw new ArgumentException("A proportion needs at least one replication.", nameof(runs));
        var pooled = Proportion(runs.Sum(r => r.Successes), runs.Sum(r => r.Trials), level);
        if (runs.Count < 2 || runs.Any(r => r.Trials == 0)) return pooled;
        var spread = Mean([.. runs.Select(r => r.Successes / (double)r.Trials)], level);
        return pooled with
        {
            Lower = Math.Max(0, Math.Min(pooled.Lower, spread.Lower)),
            Upper = Math.Min(1, Math.Max(pooled.Upper, spread.Upper)),
        };
    }

    private static void CheckLevel(double level)
    {
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "A confidence level is in (0, 1).");
    }
}
