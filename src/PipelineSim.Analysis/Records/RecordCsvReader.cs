using System.Globalization;
using CsvHelper;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Records;

/// <summary>
/// Reads back the files <see cref="CsvRecordSink"/> writes, from any run's directory, simulated or live. Records
/// stream: a file is never held in memory. A row that does not parse is skipped and reported; once the file is read,
/// every problem (the first <see cref="MaxReportedProblems"/>) is thrown together as a <see cref="RecordFileException"/>
/// naming file, line and column.
/// </summary>
public static class RecordCsvReader
{
    public const int MaxReportedProblems = 20;

    public static IEnumerable<PushRecord> ReadPushes(string path) => Read(path, RecordColumns.Pushes, RecordRows.Push);

    public static IEnumerable<AttemptRecord> ReadAttempts(string path) => Read(path, RecordColumns.Attempts, RecordRows.Attempt);

    public static IEnumerable<MetricSample> ReadMetrics(string path) => Read(path, RecordColumns.Metrics, ParseSample);

    private static MetricSample ParseSample(Row row) =>
        new(row.Instant(0), row.Text(1), row.Text(2), row.Double(3));

    /// <summary>
    /// Streams the rows of any of PipelineSim's CSV files with exactly <paramref name="columns"/> as its header (the
    /// record files, the planner's results), parsing each with <paramref name="parse"/>.
    /// </summary>
    internal static IEnumerable<T> Read<T>(string path, string[] columns, Func<Row, T> parse)
    {
        string file = Path.GetFileName(path);
        if (!File.Exists(path))
            throw new RecordFileException([new RecordFileProblem(file, 0, null, $"no such file: {path}")]);

        var problems = new List<RecordFileProblem>();
        long moreProblems = 0;
        using var reader = CsvReader.FromFile(path, new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            TrackLineNumbers = true,
            PoolStrings = true, // names repeat on every row
            FormatProvider = CultureInfo.InvariantCulture,
            FieldCountMismatch = CsvFieldCountHandling.Allow, // checked below, to report the line
            MalformedData = CsvMalformedDataHandling.Throw,
        });

        var header = ReadHeader(reader, file);
        if (!header.SequenceEqual(columns))
        {
            throw new RecordFileException([new RecordFileProblem(file, 1, null,
                $"expected the columns {string.Join(",", columns)} but found {string.Join(",", header)}")]);
        }

        var row = new Row(reader, columns);
        while (true)
        {
            T record;
            try
            {
                if (!reader.Read()) break;
                if (reader.FieldCount != columns.Length)
                    throw new FieldException(null, $"expected {columns.Length} fields, found {reader.FieldCount}");
                record = parse(row);
            }
            catch (FieldException e)
            {
                Report(new RecordFileProblem(file, reader.LineNumber, e.Column, e.Message));
                continue;
            }
            catch (CsvFormatException e)
            {
                // Malformed quoting: the reader cannot find the next record reliably, so stop here.
                Report(new RecordFileProblem(file, e.LineNumber > 0 ? e.LineNumber : reader.LineNumber, null, e.Message));
                break;
            }
            yield return record;
        }

        if (problems.Count > 0) throw new RecordFileException(problems, moreProblems);

        void Report(RecordFileProblem problem)
        {
            if (problems.Count < MaxReportedProblems) problems.Add(problem);
            else moreProblems++;
        }
    }

    private static IReadOnlyList<string> ReadHeader(CsvReader reader, string file)
    {
        try
        {
            return reader.Headers;
        }
        catch (CsvFormatException e)
        {
            throw new RecordFileException([new RecordFileProblem(file, 1, null, e.Message)]);
        }
    }

    /// <summary>A field that does not parse; caught per row and reported with the line.</summary>
    internal sealed class FieldException(string? column, string message) : Exception(message)
    {
        public string? Column { get; } = column;
    }

    /// <summary>Typed access to the current row's fields, each failure naming its column.</summary>
    internal sealed class Row(CsvReader reader, string[] columns) : IRecordRow
    {
        public string Text(int index) => reader.GetString(index);

        public string? OptionalText(int index) => reader.IsEmpty(index) ? null : reader.GetString(index);

        public long Long(int index) =>
            reader.TryParse(index, out long value) ? value : throw Invalid(index, "an integer");

        public long? OptionalLong(int index) => reader.IsEmpty(index) ? null : Long(index);

        public int Int(int index) =>
            reader.TryParse(index, out int value) ? value : throw Invalid(index, "an integer");

        public int? OptionalInt(int index) => reader.IsEmpty(index) ? null : Int(index);

        public ulong ULong(int index) =>
            reader.TryParse(index, out ulong value) ? value : throw Invalid(index, "a whole number from 0 to 2^64-1");

        public double Double(int index) =>
            reader.TryParse(index, out double value) ? value : throw Invalid(index, "a number");

        public bool Bool(int index) => reader.GetSpan(index) switch
        {
            var s when s.SequenceEqual("true"u8) => true,
            var s when s.SequenceEqual("false"u8) => false,
            _ => throw Invalid(index, "true or false"),
        };

        public Instant Instant(int index) =>
            Core.Time.Instant.TryParse(reader.GetSpan(index), out var instant)
                ? instant
                : throw Invalid(index, "seconds such as 12.345678");

        public TimeSpan? OptionalDuration(int index) => reader.IsEmpty(index) ? null : Instant(index).SinceStart;

        public Deadline Deadline(int index) =>
            reader.IsEmpty(index) ? Core.Time.Deadline.None : Core.Time.Deadline.At(Instant(index));

        public PushResult Result(int index) =>
            RecordColumns.TryParseResult(reader.GetString(index), out var result)
                ? result
                : throw Invalid(index, "delivered, failed or in_flight");

        public ConnectCode Code(int index) =>
            ConnectCodes.TryParse(reader.GetString(index), out var code) ? code : throw Invalid(index, "a Connect code name such as deadline_exceeded");

        private FieldException Invalid(int index, string expected) =>
            new(columns[index], $"'{reader.GetString(index)}' is not {expected}");
    }
}
