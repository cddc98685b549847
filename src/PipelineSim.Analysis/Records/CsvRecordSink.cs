using System.Globalization;
using CsvHelper;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Records;

/// <summary>
/// Streams a run's records into <c>pushes.csv</c>, <c>attempts.csv</c> and <c>metrics.csv</c> in a directory, one row
/// per record in the order they arrive. The files are written under <c>.partial</c> names and appear under their real
/// names only on <see cref="Complete"/>; disposing without completing deletes them, so a failed run leaves no file
/// that looks finished. Rows are formatted straight into CsvHelper's UTF-8 buffer (numbers and times through spans),
/// so a row allocates nothing beyond what the record already holds.
/// </summary>
public sealed class CsvRecordSink : IRecordSink, IDisposable
{
    /// <summary>Fixed, culture-free output: same records, same bytes.</summary>
    private static readonly CsvWriterOptions Options = new()
    {
        Separator = ',',
        NewLine = "\n",
        TrueValue = "true",
        FalseValue = "false",
        NullValue = "",
        FormatProvider = CultureInfo.InvariantCulture,
        WriteByteOrderMark = false,
        BufferSize = 256 * 1024,
    };

    private readonly Output? pushes;
    private readonly Output? attempts;
    private readonly Output metrics;
    private bool completed;

    /// <param name="directory">Where the files go (created if missing).</param>
    /// <param name="records">False to write <c>metrics.csv</c> alone, when the push and attempt records go elsewhere (Parquet).</param>
    public CsvRecordSink(string directory, bool records = true)
    {
        Directory.CreateDirectory(directory);
        var opened = new List<Output>(3);
        try
        {
            if (records)
            {
                opened.Add(pushes = new Output(Path.Combine(directory, RunFiles.Pushes), RecordColumns.Pushes));
                opened.Add(attempts = new Output(Path.Combine(directory, RunFiles.Attempts), RecordColumns.Attempts));
            }
            opened.Add(metrics = new Output(Path.Combine(directory, RunFiles.Metrics), RecordColumns.Metrics));
        }
        catch
        {
            foreach (var output in opened) output.Dispose();
            throw;
        }
    }

    public void OnPush(in PushRecord push)
    {
        if (pushes is null) return;
        var csv = pushes.Csv;
        csv.WriteField(push.PushId, default);
        csv.WriteField(push.ParentPushId, default);
        csv.WriteField(push.Source);
        csv.WriteField(push.Writer);
        csv.WriteField(push.Endpoint);
        csv.WriteField(push.Start, default);
        csv.WriteField(push.End, default);
        WriteSeconds(csv, push.Latency.Ticks);
        WriteDeadline(csv, push.ParentDeadline);
        csv.WriteField(push.Attempts, default);
        csv.WriteField(RecordColumns.ResultName(push.Result));
        csv.WriteField(ConnectCodes.Name(push.Code));
        csv.WriteField(push.Profiles, default);
        csv.WriteField(push.Bytes, default);
        csv.WriteField(push.Error);
        csv.EndRecord();
    }

    public void OnAttempt(in AttemptRecord attempt)
    {
        if (attempts is null) return;
        var csv = attempts.Csv;
        csv.WriteField(attempt.PushId, default);
        csv.WriteField(attempt.Number, default);
        csv.WriteField(attempt.Writer);
        csv.WriteField(attempt.Endpoint);
        csv.WriteField(attempt.Start, default);
        csv.WriteField(attempt.End, default);
        WriteSeconds(csv, attempt.Latency.Ticks);
        WriteDeadline(csv, attempt.Deadline);
        csv.WriteField(attempt.ConnectionId, default);
        csv.WriteField(attempt.Reused);
        WriteSeconds(csv, attempt.IdleBefore.Ticks);
        if (attempt.BacklogWait is { } wait) WriteSeconds(csv, wait.Ticks);
        else csv.WriteField(ReadOnlySpan<byte>.Empty);
        csv.WriteField(ConnectCodes.Name(attempt.Code));
        csv.WriteField(attempt.Error);
        csv.EndRecord();
    }

    public void OnSample(in MetricSample sample)
    {
        var csv = metrics.Csv;
        csv.WriteField(sample.Time, default);
        csv.WriteField(sample.Name);
        csv.WriteField(sample.Labels);
        csv.WriteField(sample.Value, default); // shortest text that round-trips: deterministic and exact
        csv.EndRecord();
    }

    /// <summary>Flushes the files and moves them under their final names.</summary>
    public void Complete()
    {
        if (completed) return;
        pushes?.Commit();
        attempts?.Commit();
        metrics.Commit();
        completed = true;
    }

    /// <summary>Closes the files; without <see cref="Complete"/> first, deletes them (each, whatever the others do).</summary>
    public void Dispose()
    {
        try
        {
            pushes?.Dispose();
        }
        finally
        {
            try
            {
                attempts?.Dispose();
            }
            finally
            {
                metrics.Dispose();
            }
        }
    }

    private static void WriteSeconds(CsvWriter csv, long ticks)
    {
        Span<byte> text = stackalloc byte[SecondsText.MaxLength];
        SecondsText.TryFormat(ticks, text, out int written);
        csv.WriteField(text[..written]);
    }

    /// <summary>A deadline as seconds, or an empty field for none.</summary>
    private static void WriteDeadline(CsvWriter csv, Deadline deadline)
    {
        if (deadline.HasValue) csv.WriteField(deadline.When, default);
        else csv.WriteField(ReadOnlySpan<byte>.Empty);
    }

    /// <summary>One CSV file being written: its atomic file and the CsvHelper writer over it.</summary>
    private sealed class Output : IDisposable
    {
        private readonly AtomicFile file;

        public Output(string path, string[] header)
        {
            file = new AtomicFile(path);
            Csv = CsvWriter.Create(file.Stream, Options, leaveOpen: true);
            Csv.WriteHeader(header);
        }

        public CsvWriter Csv { get; }

        public void Commit()
        {
            Csv.Dispose(); // flushes
            file.Commit();
        }

        /// <summary>Closes the writer and the file; an uncommitted file is deleted even when flushing it fails (a full
        /// disk fails the flush of what is left in the buffer).</summary>
        public void Dispose()
        {
            try
            {
                Csv.Dispose();
            }
            catch (IOException) when (!file.Committed)
            {
            }
            finally
            {
                file.Dispose();
            }
        }
    }
}
