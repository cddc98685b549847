using PipelineSim.Analysis.Records;
using PipelineSim.Analysis.Summary;
using PipelineSim.Core.Records;
using PipelineSim.Model.Recording;
using PipelineSim.Scenarios.Expect;

namespace PipelineSim.Cli.Running;

/// <summary>
/// What every run of a scenario writes, simulated or live: its records stream into <c>pushes.csv</c> and
/// <c>attempts.csv</c> (or their Parquet forms), <c>metrics.csv</c> (and <c>metrics.om</c> when asked for), which appear
/// only once the run completed, and into the summary, and pass the <see cref="Figures"/> that <c>expect:</c> needs on
/// the way. The files are written on a thread of their own,
/// so a simulation on one core has its records formatted on the other. <see cref="Complete"/> moves an earlier run's
/// plots aside (<see cref="EarlierPlots"/>) and returns the summary; the caller writes <c>summary.json</c> once the claims are checked
/// (<see cref="SummaryDetails"/>). Disposing without completing removes the partial files.
/// </summary>
internal sealed class RunOutputs : IDisposable
{
    private readonly string directory;
    private readonly RunFormats formats;
    private readonly CsvRecordSink csv;
    private readonly ParquetRecordSink? parquet;
    private readonly OpenMetricsRecordSink? openMetrics;
    private readonly OffThreadRecordSink writer;
    private readonly RunSummaryBuilder summary = new();

    /// <param name="alsoTo">Sinks that see every record too (on the writer's thread), read after <see cref="Complete"/>.</param>
    public RunOutputs(string directory, RunFormats formats, params IRecordSink[] alsoTo)
    {
        this.directory = directory;
        this.formats = formats;
        Directory.CreateDirectory(directory);
        List<IRecordSink> files = [csv = new CsvRecordSink(directory, records: formats.Records == RecordFormat.Csv)];
        try
        {
            if (formats.Records == RecordFormat.Parquet) files.Add(parquet = new ParquetRecordSink(directory));
            if (formats.OpenMetrics) files.Add(openMetrics = new OpenMetricsRecordSink(Path.Combine(directory, RunFiles.OpenMetrics), formats.Start));
        }
        catch
        {
            csv.Dispose();
            parquet?.Dispose();
            throw;
        }
        writer = new OffThreadRecordSink(new TeeRecordSink([.. files, summary, .. alsoTo]));
        Figures = new RecordFigures(writer);
    }

    /// <summary>The sink to hand the run (records from one thread at a time): they reach the files, the summary and the figures.</summary>
    public IRecordSink Sink => Figures;

    public RecordFigures Figures { get; }

    /// <summary>Where <see cref="Complete"/> moved the plots of an earlier run in the directory, if there were any.</summary>
    public string? EarlierPlotsMovedTo { get; private set; }

    /// <param name="receivers">The driver's exact per-receiver figures.</param>
    /// <param name="profilesCreated">What the sources created, per first-hop endpoint: the conservation line's "created".</param>
    public RunSummary Complete(IEnumerable<ReceiverStats> receivers, long profilesCreated)
    {
        writer.Complete();
        csv.Complete();
        parquet?.Complete();
        openMetrics?.Complete();
        // Records of the other format, from an earlier run here, would be read (by plot) in place of these.
        foreach (string stale in RunRecordFiles.OtherFormat(directory, formats.Records)) File.Delete(stale);
        // Plots of an earlier run in this directory would now sit beside records they do not show.
        EarlierPlotsMovedTo = EarlierPlots.SetAside(directory);
        return summary.Build(receivers, profilesCreated);
    }

    public void Dispose()
    {
        writer.Dispose();
        csv.Dispose();
        parquet?.Dispose();
        openMetrics?.Dispose();
    }
}
