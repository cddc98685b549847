namespace PipelineSim.Analysis.Records;

/// <summary>The names of the files a run writes into its output directory, simulated or live.</summary>
public static class RunFiles
{
    public const string Pushes = "pushes.csv";
    public const string Attempts = "attempts.csv";
    public const string Metrics = "metrics.csv";

    /// <summary>The records as Parquet (<c>--records parquet</c>), instead of <see cref="Pushes"/> and <see cref="Attempts"/>.</summary>
    public const string PushesParquet = "pushes.parquet";

    public const string AttemptsParquet = "attempts.parquet";

    /// <summary>The sampled series as OpenMetrics text with timestamps (<c>--metrics openmetrics</c>), beside <see cref="Metrics"/>.</summary>
    public const string OpenMetrics = "metrics.om";
    public const string Summary = "summary.json";

    /// <summary>The subdirectory <c>pipelinesim plot</c> writes into.</summary>
    public const string Plots = "plots";
}
