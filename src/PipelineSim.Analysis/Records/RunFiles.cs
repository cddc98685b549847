namespace PipelineSim.Analysis.Records;

/// <summary>The names of the files a run writes into its output directory, simulated or live.</summary>
public static class RunFiles
{
    public const string Pushes = "pushes.csv";
    public const string Attempts = "attempts.csv";
    public const string Metrics = "metrics.csv";
    public const string Summary = "summary.json";

    /// <summary>The subdirectory <c>pipelinesim plot</c> writes into.</summary>
    public const string Plots = "plots";
}
