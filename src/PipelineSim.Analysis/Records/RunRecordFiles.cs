using PipelineSim.Core.Records;

namespace PipelineSim.Analysis.Records;

/// <summary>
/// A run directory's push and attempt records in whichever format the run wrote them: Parquet when
/// <c>pushes.parquet</c> is there (a run writes one format and removes the other), CSV otherwise.
/// </summary>
public static class RunRecordFiles
{
    public static RecordFormat FormatIn(string directory) =>
        File.Exists(Path.Combine(directory, RunFiles.PushesParquet)) ? RecordFormat.Parquet : RecordFormat.Csv;

    public static string PushesPath(string directory) =>
        Path.Combine(directory, FormatIn(directory) == RecordFormat.Parquet ? RunFiles.PushesParquet : RunFiles.Pushes);

    public static string AttemptsPath(string directory) =>
        Path.Combine(directory, FormatIn(directory) == RecordFormat.Parquet ? RunFiles.AttemptsParquet : RunFiles.Attempts);

    public static IEnumerable<PushRecord> ReadPushes(string directory) =>
        FormatIn(directory) == RecordFormat.Parquet
            ? RecordParquetReader.ReadPushes(PushesPath(directory))
            : RecordCsvReader.ReadPushes(PushesPath(directory));

    public static IEnumerable<AttemptRecord> ReadAttempts(string directory) =>
        FormatIn(directory) == RecordFormat.Parquet
            ? RecordParquetReader.ReadAttempts(AttemptsPath(directory))
            : RecordCsvReader.ReadAttempts(AttemptsPath(directory));

    /// <summary>The record files of the format a run did not write: left from an earlier run, they would be read instead.</summary>
    public static IEnumerable<string> OtherFormat(string directory, RecordFormat written) => written == RecordFormat.Parquet
        ? [Path.Combine(directory, RunFiles.Pushes), Path.Combine(directory, RunFiles.Attempts)]
        : [Path.Combine(directory, RunFiles.PushesParquet), Path.Combine(directory, RunFiles.AttemptsParquet)];
}
