using Parquet;
using Parquet.Schema;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Records;

/// <summary>
/// Reads back the files <see cref="ParquetRecordSink"/> writes, one row group at a time. A file whose columns are not
/// the record columns, or a value that is not a record's (an unknown code), is reported as a
/// <see cref="RecordFileException"/> naming the file, the row and the column.
/// </summary>
public static class RecordParquetReader
{
    public static IEnumerable<PushRecord> ReadPushes(string path) => Read(path, RecordColumns.Pushes, RecordRows.Push);

    public static IEnumerable<AttemptRecord> ReadAttempts(string path) => Read(path, RecordColumns.Attempts, RecordRows.Attempt);

    private static IEnumerable<T> Read<T>(string path, string[] columns, Func<Row, T> parse)
    {
        string file = Path.GetFileName(path);
        if (!File.Exists(path))
            throw new RecordFileException([new RecordFileProblem(file, 0, null, $"no such file: {path}")]);

        using var stream = File.OpenRead(path);
        ParquetReader reader;
        try
        {
            reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
        {
            throw new RecordFileException([new RecordFileProblem(file, 0, null, $"not a Parquet file: {e.Message}")]);
        }
        try
        {
            var fields = reader.Schema.GetDataFields();
            if (!fields.Select(f => f.Name).SequenceEqual(columns))
            {
                throw new RecordFileException([new RecordFileProblem(file, 0, null,
                    $"expected the columns {string.Join(",", columns)} but found {string.Join(",", fields.Select(f => f.Name))}")]);
            }
            long rowsBefore = 0;
            for (int group = 0; group < reader.RowGroupCount; group++)
            {
                using var rowGroup = reader.OpenRowGroupReader(group);
                var data = fields.Select(f => ReadColumn(rowGroup, f)).ToArray();
                var row = new Row(file, columns, data);
                for (int i = 0; i < rowGroup.RowCount; i++)
                {
                    row.Index = i;
                    row.Number = rowsBefore + i + 1;
                    yield return parse(row);
                }
                rowsBefore += rowGroup.RowCount;
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>A column's values as an array of the field's CLR type (nullable where the field is).</summary>
    private static Array ReadColumn(ParquetRowGroupReader rowGroup, DataField field)
    {
        int count = checked((int)rowGroup.RowCount);
        return field.ClrType switch
        {
            var t when t == typeof(string) || t == typeof(ReadOnlyMemory<char>) => ReadStrings(rowGroup, field, count),
            var t when t == typeof(long) => field.IsNullable ? ReadNullable<long>(rowGroup, field, count) : ReadValues<long>(rowGroup, field, count),
            var t when t == typeof(int) => field.IsNullable ? ReadNullable<int>(rowGroup, field, count) : ReadValues<int>(rowGroup, field, count),
            var t when t == typeof(double) => field.IsNullable ? ReadNullable<double>(rowGroup, field, count) : ReadValues<double>(rowGroup, field, count),
            var t when t == typeof(bool) => field.IsNullable ? ReadNullable<bool>(rowGroup, field, count) : ReadValues<bool>(rowGroup, field, count),
            var t => throw new RecordFileException([new RecordFileProblem(field.Name, 0, field.Name, $"unexpected column type {t.Name}")]),
        };
    }

    private static T[] ReadValues<T>(ParquetRowGroupReader rowGroup, DataField field, int count) where T : struct
    {
        var values = new T[count];
        rowGroup.ReadAsync<T>(field, values.AsMemory()).GetAwaiter().GetResult();
        return values;
    }

    private static T?[] ReadNullable<T>(ParquetRowGroupReader rowGroup, DataField field, int count) where T : struct
    {
        var values = new T?[count];
        rowGroup.ReadAsync<T>(field, values.AsMemory()).GetAwaiter().GetResult();
        return values;
    }

    private static string?[] ReadStrings(ParquetRowGroupReader rowGroup, DataField field, int count)
    {
        var values = new string?[count];
        rowGroup.ReadAsync(field, values.AsMemory()!).GetAwaiter().GetResult();
        return values;
    }

    /// <summary>Typed access to one row of a row group's columns, each failure naming file, row and column.</summary>
    private sealed class Row(string file, string[] columns, Array[] data) : IRecordRow
    {
        public int Index { get; set; }

        /// <summary>1-based over the whole file, for messages.</summary>
        public long Number { get; set; }

        public string Text(int column) => Value(column) as string ?? throw Invalid(column, "null", "a text");

        public string? OptionalText(int column) => Value(column) as string;

        public long Long(int column) => Value(column) is long value ? value : throw Invalid(column, Value(column), "an INT64");

        public long? OptionalLong(int column) => Value(column) is null ? null : Long(column);

        public int Int(int column) => Value(column) is int value ? value : throw Invalid(column, Value(column), "an INT32");

        public bool Bool(int column) => Value(column) is bool value ? value : throw Invalid(column, Value(column), "a BOOLEAN");

        public Instant Instant(int column) =>
            Value(column) is double seconds && ParquetSeconds.TryToTicks(seconds, out long ticks)
                ? new Instant(ticks)
                : throw Invalid(column, Value(column), $"seconds within ±{MaxSeconds}");

        public TimeSpan? OptionalDuration(int column) => Value(column) is null ? null : Instant(column).SinceStart;

        public Deadline Deadline(int column) => Value(column) is null ? Core.Time.Deadline.None : Core.Time.Deadline.At(Instant(column));

        public PushResult Result(int column) =>
            RecordColumns.TryParseResult(Value(column) as string, out var result) ? result : throw Invalid(column, Value(column), "delivered, failed or in_flight");

        public ConnectCode Code(int column) =>
            ConnectCodes.TryParse(Value(column) as string ?? "", out var code) ? code : throw Invalid(column, Value(column), "a Connect code name");

        private object? Value(int column) => data[column].GetValue(Index);

        /// <summary>The largest whole number of seconds an <see cref="Core.Time.Instant"/> holds (about 29,000 years).</summary>
        private static readonly long MaxSeconds = long.MaxValue / TimeSpan.TicksPerSecond;

        private RecordFileException Invalid(int column, object? value, string expected) =>
            new([new RecordFileProblem(file, Number, columns[column], $"'{value ?? "null"}' is not {expected}")]);
    }
}
