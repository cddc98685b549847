using PipelineSim.Analysis.Records;

namespace PipelineSim.Cli.Running;

/// <summary>
/// A run into a directory that already holds results replaces the earlier run's records, so the earlier run's plots
/// would sit beside records they do not show. They are neither left there nor deleted silently (a run without
/// <c>--plots</c> used to delete them): they move to <c>DIR/plots.previous</c>, replacing an older one, and the run
/// says so. With <c>--plots</c> the new run's plots are then drawn into <c>DIR/plots</c>, so the two can be compared.
/// Documented in docs/guides/plots.md.
/// </summary>
internal static class EarlierPlots
{
    public const string PreviousDirectoryName = RunFiles.Plots + ".previous";

    /// <summary>Moves <c>DIR/plots</c> to <c>DIR/plots.previous</c>; returns where they went, or null when there were none.</summary>
    public static string? SetAside(string outputDirectory)
    {
        string plots = Path.Combine(outputDirectory, RunFiles.Plots);
        if (!Directory.Exists(plots)) return null;
        string previous = Path.Combine(outputDirectory, PreviousDirectoryName);
        if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
        Directory.Move(plots, previous);
        return previous;
    }
}
