using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Records;

/// <summary>
/// One row of a record file, whatever its format: typed access to its columns by index, each failure naming the
/// file, row and column. CSV and Parquet each implement it over their own storage.
/// </summary>
internal interface IRecordRow
{
    string Text(int column);

    string? OptionalText(int column);

    long Long(int column);

    long? OptionalLong(int column);

    int Int(int column);

    bool Bool(int column);

    Instant Instant(int column);

    /// <summary>A time span stored as seconds; null when the field is empty.</summary>
    TimeSpan? OptionalDuration(int column);

    Deadline Deadline(int column);

    PushResult Result(int column);

    ConnectCode Code(int column);
}

/// <summary>The record columns (<see cref="RecordColumns"/>) read back into records: one mapping for every format.</summary>
internal static class RecordRows
{
    public static PushRecord Push(IRecordRow row) => new()
    {
        PushId = row.Long(0),
        ParentPushId = row.OptionalLong(1),
        Source = row.Text(2),
        Writer = row.Text(3),
        Endpoint = row.Text(4),
        Start = row.Instant(5),
        End = row.Instant(6),
        // 7 (latency_s) is end - start, written for readers of the file; the record derives it.
        ParentDeadline = row.Deadline(8),
        Attempts = row.Int(9),
        Result = row.Result(10),
        Code = row.Code(11),
        Profiles = row.Int(12),
        Bytes = row.Long(13),
        Error = row.OptionalText(14),
    };

    public static AttemptRecord Attempt(IRecordRow row) => new()
    {
        PushId = row.Long(0),
        Number = row.Int(1),
        Writer = row.Text(2),
        Endpoint = row.Text(3),
        Start = row.Instant(4),
        End = row.Instant(5),
        // 6 (latency_s) is end - start.
        Deadline = row.Deadline(7),
        ConnectionId = row.Long(8),
        Reused = row.Bool(9),
        IdleBefore = row.Instant(10).SinceStart,
        BacklogWait = row.OptionalDuration(11),
        Code = row.Code(12),
        Error = row.OptionalText(13),
    };
}
