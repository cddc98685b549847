using PipelineSim.Analysis.Records;
using PipelineSim.Analysis.Summary;
using PipelineSim.Core.Records;
using PipelineSim.Model.Recording;
using PipelineSim.Scenarios.Expect;

namespace PipelineSim.Cli.Running;

/// <summary>
/// What every run of a scenario writes, simulated or live: its records stream into <c>pushes.csv</c>,
/// <c>attempts.csv</c> and <c>metrics.csv</c> (which appear only once the run completed) and into the summary, and
/// pass the <see cref="Figures"/> that <c>expect:</c> needs on the way. The files are written on a thread of their own,
/// so a simulation on one core has its records formatted on the other. <see cref="Complete"/> moves an earlier run's
/// plots aside (<see cref="EarlierPlots"/>) and writes <c>summary.json</c>. Disposing without completing removes the partial files.
/// </summary>
internal sealed class RunOutputs : IDisposable
{
    private readonly string directory;
    private readonly CsvRecordSink csv;
    private readonly OffThreadRecordSink writer;
    private readonly RunSummaryBuilder summary = new();

    /// <param name="alsoTo">Sinks that see every record too (on the writer's thread), read after <see cref="Complete"/>.</param>
    public RunOutputs(string directory, params IRecordSink[] alsoTo)
    {
        this.directory = directory;
        Directory.CreateDirectory(directory);
        csv = new CsvRecordSink(directory);
        writer = new OffThreadRecordSink(new TeeRecordSink([csv, summary, .. alsoTo]));
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
        // Plots of an earlier run in this directory would now sit beside records they do not show.
        EarlierPlotsMovedTo = EarlierPlots.SetAside(directory);
        var built = summary.Build(receivers, profilesCreated);
        RunSummaryJson.Write(Path.Combine(directory, RunFiles.Summary), built);
        return built;
    }

    public void Dispose()
    {
        writer.Dispose();
        csv.Dispose();
    }
}
