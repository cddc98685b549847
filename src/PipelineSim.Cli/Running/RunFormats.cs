using System.Globalization;
using PipelineSim.Analysis.Records;

namespace PipelineSim.Cli.Running;

/// <summary>The forms a run's files take: records as CSV or Parquet, and whether an OpenMetrics export is written too.</summary>
public sealed record RunFormats
{
    public static RunFormats Default { get; } = new();

    public RecordFormat Records { get; init; } = RecordFormat.Csv;

    /// <summary>Also write <c>metrics.om</c> (metrics.csv is always written: plot and compare read it).</summary>
    public bool OpenMetrics { get; init; }

    /// <summary>The wall-clock instant of the run's time 0 in <c>metrics.om</c>.</summary>
    public DateTimeOffset Start { get; init; } = OpenMetricsRecordSink.DefaultStart;

    /// <summary>An RFC 3339 time with an explicit zone (<c>Z</c> or an offset) at or after the Unix epoch, or null.</summary>
    public static DateTimeOffset? ParseStart(string text)
    {
        string[] formats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];
        bool hasZone = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        if (!hasZone || !DateTimeOffset.TryParseExact(text.ToUpperInvariant(), formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var start)) return null;
        return start < DateTimeOffset.UnixEpoch ? null : start.ToUniversalTime();
    }
}
