namespace PipelineSim.Scenarios.Values;

/// <summary>What a number measures. Scenario values are converted to one unit each: time to seconds, sizes to bytes.</summary>
public enum Dimension
{
    /// <summary>A plain number (a count, a ratio, a percentage): compatible with any dimension in comparisons.</summary>
    Number,

    /// <summary>Seconds; written as a Go duration (<c>500ms</c>, <c>1m30s</c>).</summary>
    Time,

    /// <summary>Bytes; written as a size (<c>60KiB</c>, <c>1.5MiB</c>).</summary>
    Size,
}

internal static class DimensionNames
{
    public static string Noun(this Dimension dimension) => dimension switch
    {
        Dimension.Time => "a duration (like 500ms)",
        Dimension.Size => "a size (like 60KiB)",
        _ => "a number",
    };

    public static string Unit(this Dimension dimension) => dimension switch
    {
        Dimension.Time => "seconds",
        Dimension.Size => "bytes",
        _ => "a number",
    };
}
