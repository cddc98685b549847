namespace PipelineSim.Analysis.Records;

/// <summary>The file format of a run's push and attempt records.</summary>
public enum RecordFormat
{
    /// <summary><c>pushes.csv</c> and <c>attempts.csv</c>.</summary>
    Csv,

    /// <summary><c>pushes.parquet</c> and <c>attempts.parquet</c>: the same columns, typed, compressed.</summary>
    Parquet,
}
