namespace PipelineSim.Analysis.Statistics;

/// <summary>An estimate with a two-sided confidence interval at <see cref="Level"/> (e.g. 0.95).</summary>
public readonly record struct ConfidenceInterval(double Estimate, double Lower, double Upper, double Level)
{
    public double HalfWidth => (Upper - Lower) / 2;

    public bool Contains(double value) => value >= Lower && value <= Upper;

    /// <summary>True when the whole interval is at or above <paramref name="threshold"/>: the SLO is met with confidence.</summary>
    public bool IsAtLeast(double threshold) => Lower >= threshold;

    /// <summary>True when the whole interval is at or below <paramref name="threshold"/>.</summary>
    public bool IsAtMost(double threshold) => Upper <= threshold;
}
