using System.Runtime.InteropServices;
using PipelineSim.Analysis.Records;
using PipelineSim.Analysis.Summary;
using PipelineSim.Core.Records;
using PipelineSim.Model.Recording;
using PipelineSim.Scenarios.Expect;

namespace PipelineSim.Cli.Running;

/// <summary>
/// What every run of a scenario writes, simulated or live: its records stream into <c>pushes.csv</c> and
/// <c>attempts.csv</c> (or their Parquet forms), <c>metrics.csv</c> (and <c>metrics.om</c> when asked for), written
/// under temporary names until the run completes, and into the summary, and pass the <see cref="Figures"/> that
/// <c>expect:</c> needs on the way. The files are written on a thread of their own, so a simulation on one core has
/// its records formatted on the other.
/// </summary>
/// <remarks>
/// <para>
/// <c>summary.json</c> is the completion mark: <see cref="Complete"/> removes an earlier run's mark, moves the record
/// files into place and an earlier run's plots aside (<see cref="EarlierPlots"/>); <see cref="Finish"/> writes
/// <c>summary.json</c> last, once the caller has checked the claims (<see cref="SummaryDetails"/>). A directory with
/// <c>summary.json</c> holds one whole run; without it, nothing in it is trusted, and disposing before
/// <see cref="Finish"/> removes what the run moved into place.
/// </para>
/// <para>
/// This is the one place that cleans up after a failed run, whatever the failure: an I/O error (a full disk, a file
/// size limit) or an exception while the run goes on removes the <c>.partial</c> files and leaves an earlier
/// complete run in the directory untouched; a failure while completing removes every record file of the run too (some
/// may already be in place, and they would look finished) and throws a <see cref="RunOutputException"/> that says so.
/// SIGINT and SIGTERM remove the same files before the process ends.
/// </para>
/// </remarks>
internal sealed class RunOutputs : IDisposable
{
    private const string PartialSuffix = ".partial";

    private readonly string directory;
    private readonly RunFormats formats;
    private readonly CsvRecordSink csv;
    private readonly ParquetRecordSink? parquet;
    private readonly OpenMetricsRecordSink? openMetrics;
    private readonly OffThreadRecordSink writer;
    private readonly RunSummaryBuilder summary = new();
    private readonly PosixSignalRegistration[] signals;

    // Guards the state against a signal arriving while the files are being moved into place.
    private readonly Lock gate = new();
    private State state = State.Writing;

    private enum State
    {
        /// <summary>Records go into the <c>.partial</c> files; an earlier run's files are still whole.</summary>
        Writing,

        /// <summary>The earlier run's mark is gone and this run's files are moving into place.</summary>
        Completing,

        Completed,

        /// <summary>Cleaned up after a failure or a signal.</summary>
        Abandoned,
    }

    /// <param name="alsoTo">Sinks that see every record too (on the writer's thread), read after <see cref="Complete"/>.</param>
    public RunOutputs(string directory, RunFormats formats, params IRecordSink[] alsoTo)
    {
        this.directory = directory;
        this.formats = formats;
        // Before the first file exists. The handlers clean up; whether the signal then ends the process or cancels
        // the run is the command's business.
        signals = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
        List<IRecordSink> files;
        try
        {
            Directory.CreateDirectory(directory);
            files = [csv = new CsvRecordSink(directory, records: formats.Records == RecordFormat.Csv)];
            if (formats.Records == RecordFormat.Parquet) files.Add(parquet = new ParquetRecordSink(directory));
            if (formats.OpenMetrics) files.Add(openMetrics = new OpenMetricsRecordSink(Path.Combine(directory, RunFiles.OpenMetrics), formats.Start));
        }
        catch
        {
            csv?.Dispose();
            parquet?.Dispose();
            foreach (var signal in signals) signal.Dispose();
            throw;
        }
        writer = new OffThreadRecordSink(new TeeRecordSink([.. files, summary, .. alsoTo]));
        Figures = new RecordFigures(writer);
    }

    /// <summary>Where <see cref="Complete"/> moved the plots of an earlier run in the directory, if there were any.</summary>
    public string? EarlierPlotsMovedTo { get; private set; }

    /// <summary>The files a run moves into place; <c>summary.json</c>, the mark, comes last.</summary>
    private IEnumerable<string> Outputs()
    {
        if (formats.Records == RecordFormat.Parquet) yield return RunFiles.PushesParquet;
        else yield return RunFiles.Pushes;
        yield return formats.Records == RecordFormat.Parquet ? RunFiles.AttemptsParquet : RunFiles.Attempts;
        yield return RunFiles.Metrics;
        if (formats.OpenMetrics) yield return RunFiles.OpenMetrics;
        yield return RunFiles.Summary;
    }

    /// <summary>The sink to hand the run (records from one thread at a time): they reach the files, the summary and the figures.</summary>
    public IRecordSink Sink => Figures;

    public RecordFigures Figures { get; }

    /// <param name="receivers">The driver's exact per-receiver figures.</param>
    /// <param name="profilesCreated">What the sources created, per first-hop endpoint: the conservation line's "created".</param>
    /// <exception cref="RunOutputException">A file could not be written; nothing of the run is left in the directory.</exception>
    public RunSummary Complete(IEnumerable<ReceiverStats> receivers, long profilesCreated)
    {
        try
        {
            writer.Complete();
            var built = summary.Build(receivers, profilesCreated);
            lock (gate)
            {
                // A signal came and its cleanup ran, but something kept the process alive: the files are gone.
                if (state == State.Abandoned) throw new IOException("the run was interrupted");
                state = State.Completing;
                // The mark goes first: from here until the new summary.json, the directory claims no finished run.
                DeleteFile(Path.Combine(directory, RunFiles.Summary));
                csv.Complete();
                parquet?.Complete();
                openMetrics?.Complete();
                // Records of the other format, from an earlier run here, would be read (by plot) in place of these.
                foreach (string stale in RunRecordFiles.OtherFormat(directory, formats.Records)) DeleteFile(stale);
                // Plots of an earlier run in this directory would now sit beside records they do not show.
                EarlierPlotsMovedTo = EarlierPlots.SetAside(directory);
            }
            return built;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Abandon();
            throw new RunOutputException(directory, e);
        }
    }

    /// <summary>Writes <c>summary.json</c>, the mark that the directory holds a whole run: the last file of the run.</summary>
    /// <exception cref="RunOutputException">It could not be written; nothing of the run is left in the directory.</exception>
    public void Finish(RunSummary final)
    {
        try
        {
            lock (gate)
            {
                if (state == State.Abandoned) throw new IOException("the run was interrupted");
                if (state != State.Completing) throw new InvalidOperationException("Finish comes after Complete.");
                RunSummaryJson.Write(Path.Combine(directory, RunFiles.Summary), final);
                state = State.Completed;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Abandon();
            throw new RunOutputException(directory, e);
        }
    }

    /// <summary>Without <see cref="Complete"/>, removes what the run started writing (see the remarks).</summary>
    public void Dispose()
    {
        try
        {
            writer.Dispose();
            csv.Dispose();
            parquet?.Dispose();
            openMetrics?.Dispose();
        }
        finally
        {
            Abandon();
            foreach (var signal in signals) signal.Dispose();
        }
    }

    private void OnSignal(PosixSignalContext context) => Abandon();

    /// <summary>Removes the partial files, and this run's finished files when it failed while completing.</summary>
    private void Abandon()
    {
        lock (gate)
        {
            if (state is State.Completed or State.Abandoned) return;
            foreach (string name in Outputs())
            {
                string path = Path.Combine(directory, name);
                DeleteFile(path + PartialSuffix);
                if (state == State.Completing) DeleteFile(path);
            }
            state = State.Abandoned;
        }
    }

    /// <summary>Deletes a file if it is one (never a directory someone put in its place); a failure to delete is left
    /// for the error the run already reports.</summary>
    private static void DeleteFile(string path)
    {
        try
        {
            if (File.Exists(path)) File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>A run's results could not be written; the partial files are gone. The message is the one line a user sees.</summary>
internal sealed class RunOutputException(string directory, Exception cause)
    : IOException($"cannot write results to {directory}: {cause.Message} (the run's partial files were removed; no results were kept)", cause);
