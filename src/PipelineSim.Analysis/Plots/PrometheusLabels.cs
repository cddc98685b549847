using PipelineSim.Analysis.Records;

namespace PipelineSim.Analysis.Plots;

/// <summary>Reads one label's value from a Prometheus label set written without braces (<c>a="x",b="y"</c>).</summary>
public static class PrometheusLabels
{
    /// <summary>The unescaped value of <paramref name="name"/>, or null when the set has no such label or is not a label set.</summary>
    public static string? Get(string labels, string name) =>
        OpenMetricsLabels.TryParse(labels, out var pairs, out _) ? pairs.Find(p => p.Key == name).Value : null;
}
