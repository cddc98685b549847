using Parquet;
using Parquet.Schema;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Records;

/// <summary>
/// One column of a Parquet record file: its field, how to take its value from a record, and a buffer of one row
/// group's values. The CSV files' columns in the same order and with the same names (<see cref="RecordColumns"/>),
/// typed: integers as INT64/INT32, times and durations as DOUBLE seconds, flags as BOOLEAN, names as UTF-8 strings;
/// an empty CSV field is a null.
/// </summary>
internal abstract class ParquetColumn<TRecord>
{
    public abstract DataField Field { get; }

    public abstract void Add(TRecord record);

    public abstract Task WriteAsync(ParquetRowGroupWriter rowGroup);

    public abstract void Clear();
}

/// <summary>Times and durations in the Parquet files: DOUBLE seconds, to the microsecond like the CSV text.</summary>
internal static class ParquetSeconds
{
    /// <summary>Seconds from ticks rounded to the microsecond, so the CSV and the Parquet file read back alike.</summary>
    public static double FromTicks(long ticks) => Math.Round(ticks / 10.0, MidpointRounding.AwayFromZero) / 1_000_000;

    /// <summary>
    /// Ticks from seconds written by <see cref="FromTicks"/>, exact to the microsecond; false for a value no
    /// <see cref="Instant"/> can hold (a damaged or hand-made file), so the reader can name the row instead of
    /// letting an overflow escape without one.
    /// </summary>
    public static bool TryToTicks(double seconds, out long ticks)
    {
        double microseconds = Math.Round(seconds * 1_000_000, MidpointRounding.AwayFromZero);
        ticks = 0;
        // long.MaxValue / 10 as a double rounds up past the last representable microsecond count; compare strictly.
        if (!(Math.Abs(microseconds) < long.MaxValue / 10)) return false;
        ticks = (long)microseconds * 10;
        return true;
    }
}

internal sealed class ValueColumn<TRecord, T>(string name, Func<TRecord, T> value) : ParquetColumn<TRecord>
    where T : struct
{
    private readonly List<T> values = [];

    public override DataField Field { get; } = new DataField<T>(name, nullable: false);

    public override void Add(TRecord record) => values.Add(value(record));

    public override Task WriteAsync(ParquetRowGroupWriter rowGroup) =>
        rowGroup.WriteAsync<T>(Field, values.ToArray().AsMemory()); // ToArray: one row group, then cleared

    public override void Clear() => values.Clear();
}

internal sealed class NullableColumn<TRecord, T>(string name, Func<TRecord, T?> value) : ParquetColumn<TRecord>
    where T : struct
{
    private readonly List<T?> values = [];

    public override DataField Field { get; } = new DataField<T?>(name, nullable: true);

    public override void Add(TRecord record) => values.Add(value(record));

    public override Task WriteAsync(ParquetRowGroupWriter rowGroup) =>
        rowGroup.WriteAsync<T>(Field, (ReadOnlyMemory<T?>)values.ToArray().AsMemory());

    public override void Clear() => values.Clear();
}

internal sealed class StringColumn<TRecord>(string name, Func<TRecord, string?> value, bool nullable) : ParquetColumn<TRecord>
{
    private readonly List<string?> values = [];

    public override DataField Field { get; } = new DataField<string>(name, nullable: nullable);

    public override void Add(TRecord record) => values.Add(value(record));

    public override Task WriteAsync(ParquetRowGroupWriter rowGroup) => rowGroup.WriteAsync(Field, values);

    public override void Clear() => values.Clear();
}

/// <summary>The Parquet columns of the push and attempt records.</summary>
internal static class ParquetRecordColumns
{
    public static ParquetColumn<PushRecord>[] Pushes() => Named(RecordColumns.Pushes,
    [
        new ValueColumn<PushRecord, long>("push_id", p => p.PushId),
        new NullableColumn<PushRecord, long>("parent_push_id", p => p.ParentPushId),
        new StringColumn<PushRecord>("source", p => p.Source, nullable: false),
        new StringColumn<PushRecord>("writer", p => p.Writer, nullable: false),
        new StringColumn<PushRecord>("endpoint", p => p.Endpoint, nullable: false),
        new ValueColumn<PushRecord, double>("start_s", p => Seconds(p.Start)),
        new ValueColumn<PushRecord, double>("end_s", p => Seconds(p.End)),
        new ValueColumn<PushRecord, double>("latency_s", p => Duration(p.Latency.Ticks)),
        new NullableColumn<PushRecord, double>("parent_deadline_s", p => Seconds(p.ParentDeadline)),
        new ValueColumn<PushRecord, int>("attempts", p => p.Attempts),
        new StringColumn<PushRecord>("result", p => RecordColumns.ResultName(p.Result), nullable: false),
        new StringColumn<PushRecord>("code", p => ConnectCodes.Name(p.Code), nullable: false),
        new ValueColumn<PushRecord, int>("profiles", p => p.Profiles),
        new ValueColumn<PushRecord, long>("bytes", p => p.Bytes),
        new StringColumn<PushRecord>("error", p => p.Error, nullable: true),
    ]);

    public static ParquetColumn<AttemptRecord>[] Attempts() => Named(RecordColumns.Attempts,
    [
        new ValueColumn<AttemptRecord, long>("push_id", a => a.PushId),
        new ValueColumn<AttemptRecord, int>("attempt", a => a.Number),
        new StringColumn<AttemptRecord>("writer", a => a.Writer, nullable: false),
        new StringColumn<AttemptRecord>("endpoint", a => a.Endpoint, nullable: false),
        new ValueColumn<AttemptRecord, double>("start_s", a => Seconds(a.Start)),
        new ValueColumn<AttemptRecord, double>("end_s", a => Seconds(a.End)),
        new ValueColumn<AttemptRecord, double>("latency_s", a => Duration(a.Latency.Ticks)),
        new NullableColumn<AttemptRecord, double>("deadline_s", a => Seconds(a.Deadline)),
        new ValueColumn<AttemptRecord, long>("connection_id", a => a.ConnectionId),
        new ValueColumn<AttemptRecord, bool>("reused", a => a.Reused),
        new ValueColumn<AttemptRecord, double>("idle_before_s", a => Duration(a.IdleBefore.Ticks)),
        new NullableColumn<AttemptRecord, double>("backlog_wait_s",
            a => a.BacklogWait is { } wait ? Duration(wait.Ticks) : null),
        new StringColumn<AttemptRecord>("code", a => ConnectCodes.Name(a.Code), nullable: false),
        new StringColumn<AttemptRecord>("error", a => a.Error, nullable: true),
    ]);

    private static double Seconds(Instant instant) => ParquetSeconds.FromTicks(instant.Ticks);

    private static double Duration(long ticks) => ParquetSeconds.FromTicks(ticks);

    private static double? Seconds(Deadline deadline) => deadline.HasValue ? Seconds(deadline.When) : null;

    /// <summary>The columns, checked against the CSV header: one list of names for both formats.</summary>
    private static ParquetColumn<T>[] Named<T>(string[] names, ParquetColumn<T>[] columns)
    {
        if (!columns.Select(c => c.Field.Name).SequenceEqual(names))
            throw new InvalidOperationException("The Parquet columns differ from the CSV columns: " + string.Join(",", columns.Select(c => c.Field.Name)));
        return columns;
    }
}
