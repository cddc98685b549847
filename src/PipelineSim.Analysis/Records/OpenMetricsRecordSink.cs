using System.Globalization;
using System.Text;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Records;

/// <summary>
/// Writes a run's sampled series as an OpenMetrics text file with timestamps (<c>metrics.om</c>), the form
/// <c>promtool tsdb create-blocks-from openmetrics</c> imports into a Prometheus TSDB. The run's time 0 is the
/// wall-clock instant <c>start</c>, so the samples land where the user wants them on Prometheus' time axis.
/// <para>
/// The OpenMetrics rules this keeps (https://github.com/OpenObservability/OpenMetrics/blob/main/specification/OpenMetrics.md):
/// each family once, with <c># TYPE</c> and <c># HELP</c> before its samples and never interleaved with another;
/// counters named without <c>_total</c> in <c># TYPE</c> and with it on their samples; a histogram's points as
/// <c>_bucket</c> lines in ascending <c>le</c> (canonical floats such as <c>1.0</c>, ending in <c>+Inf</c>) followed by
/// <c>_count</c> and <c>_sum</c>; each series' points in strictly increasing time (one per time); label values escaped
/// (<c>\\</c>, <c>\"</c>, <c>\n</c>); timestamps in seconds; and <c># EOF</c> as the last line.
/// </para>
/// Samples are held in memory until <see cref="Complete"/> (the format groups by family, the run emits by time); a
/// run's series are few, so this stays small even for long runs. Names no <see cref="MetricFamilies"/> entry knows
/// are written as type <c>unknown</c>.
/// </summary>
public sealed class OpenMetricsRecordSink : IRecordSink, IDisposable
{
    /// <summary>The default wall-clock instant of time 0: fixed, so the same run always gives the same file.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly string path;
    private readonly long startTicks;
    private readonly List<FamilyBuffer> families = [];
    private readonly Dictionary<string, FamilyBuffer> familiesBySample = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Name, string Labels), SeriesBuffer> series = [];
    private bool completed;

    /// <param name="path">The file to write (atomically, on <see cref="Complete"/>).</param>
    /// <param name="start">The wall-clock instant of the run's time 0; must be after 1970.</param>
    public OpenMetricsRecordSink(string path, DateTimeOffset start)
    {
        this.path = path;
        startTicks = (start - DateTimeOffset.UnixEpoch).Ticks;
        if (startTicks < 0) throw new ArgumentOutOfRangeException(nameof(start), start, "The start must not be before 1970-01-01T00:00:00Z.");
    }

    public void OnPush(in PushRecord push)
    {
    }

    public void OnAttempt(in AttemptRecord attempt)
    {
    }

    public void OnSample(in MetricSample sample)
    {
        var key = (sample.Name, sample.Labels);
        if (!series.TryGetValue(key, out var buffer)) series.Add(key, buffer = NewSeries(sample.Name, sample.Labels));
        buffer.Add(sample.Time, sample.Value);
    }

    /// <summary>Writes the file under its final name.</summary>
    public void Complete()
    {
        if (completed) return;
        AtomicFile.Write(path, stream =>
        {
            using var text = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16, leaveOpen: true)
            {
                NewLine = "\n",
            };
            WriteTo(text);
        });
        completed = true;
    }

    public void Dispose()
    {
        // Nothing is on disk before Complete.
    }

    private void WriteTo(TextWriter text)
    {
        foreach (var family in families)
        {
            text.Write("# TYPE ");
            text.Write(family.Name);
            text.Write(' ');
            text.Write(family.TypeName);
            text.Write('\n');
            if (family.Help is not null)
            {
                text.Write("# HELP ");
                text.Write(family.Name);
                text.Write(' ');
                text.Write(EscapeHelp(family.Help));
                text.Write('\n');
            }
            foreach (var metric in family.Metrics) WriteMetric(text, metric);
        }
        text.Write("# EOF\n");
    }

    /// <summary>
    /// A metric's points in time order; at each time, its series in exposition order (a histogram's buckets by
    /// <c>le</c>, then <c>_count</c>, then <c>_sum</c>), so each histogram point stays whole.
    /// </summary>
    private void WriteMetric(TextWriter text, MetricBuffer metric)
    {
        var ordered = metric.Series.OrderBy(s => s.Rank).ThenBy(s => s.Le).ToList();
        foreach (var series in ordered) series.Order();
        var next = new int[ordered.Count];
        Span<char> number = stackalloc char[SecondsText.MaxLength];
        while (true)
        {
            long time = long.MaxValue;
            for (int i = 0; i < ordered.Count; i++)
                if (next[i] < ordered[i].Count) time = Math.Min(time, ordered[i].TimeAt(next[i]));
            if (time == long.MaxValue) return;
            SecondsText.TryFormat(startTicks + time, number, out int written);
            var timestamp = number[..written];
            for (int i = 0; i < ordered.Count; i++)
            {
                var s = ordered[i];
                if (next[i] >= s.Count || s.TimeAt(next[i]) != time) continue;
                text.Write(s.SampleText);
                text.Write(' ');
                text.Write(FormatValue(s.ValueAt(next[i])));
                text.Write(' ');
                text.Write(timestamp);
                text.Write('\n');
                next[i]++;
            }
        }
    }

    private SeriesBuffer NewSeries(string name, string labels)
    {
        if (!familiesBySample.TryGetValue(name, out var family))
        {
            family = MetricFamilies.TryFind(name, out var known, out _)
                ? families.FirstOrDefault(f => f.Name == known.Name) ?? Added(new FamilyBuffer(known.Name, TypeName(known.Type), known.Help))
                : Added(new FamilyBuffer(name, "unknown", null));
            familiesBySample.Add(name, family);
        }
        string suffix = name[family.Name.Length..];
        var parsed = OpenMetricsLabels.Parse(labels);
        string? le = null;
        var identity = new List<KeyValuePair<string, string>>(parsed.Count);
        foreach (var label in parsed)
        {
            if (suffix == "_bucket" && label.Key == "le") le = label.Value;
            else identity.Add(label);
        }
        string metricLabels = OpenMetricsLabels.Format(identity);
        var metric = family.Metric(metricLabels);

        double leValue = double.NaN;
        var sampleLabels = parsed;
        if (le is not null)
        {
            leValue = OpenMetricsLabels.ParseFloat(le)
                ?? throw new FormatException($"{name}{{{labels}}}: le=\"{le}\" is not a number");
            sampleLabels = [.. parsed.Select(l => l.Key == "le" ? new KeyValuePair<string, string>("le", OpenMetricsLabels.CanonicalFloat(leValue)) : l)];
        }
        string formatted = OpenMetricsLabels.Format(sampleLabels);
        var buffer = new SeriesBuffer(formatted.Length == 0 ? name : $"{name}{{{formatted}}}", SuffixRank(suffix), leValue);
        metric.Series.Add(buffer);
        return buffer;

        FamilyBuffer Added(FamilyBuffer added)
        {
            families.Add(added);
            return added;
        }
    }

    private static int SuffixRank(string suffix) => suffix switch
    {
        "_bucket" => 0,
        "_count" => 1,
        "_sum" => 2,
        _ => 0,
    };

    private static string TypeName(MetricFamilyType type) => type switch
    {
        MetricFamilyType.Counter => "counter",
        MetricFamilyType.Histogram => "histogram",
        _ => "gauge",
    };

    internal static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\"", "\\\"");

    private sealed class FamilyBuffer(string name, string typeName, string? help)
    {
        private readonly Dictionary<string, MetricBuffer> byLabels = new(StringComparer.Ordinal);

        public string Name { get; } = name;

        public string TypeName { get; } = typeName;

        public string? Help { get; } = help;

        public List<MetricBuffer> Metrics { get; } = [];

        public MetricBuffer Metric(string labels)
        {
            if (!byLabels.TryGetValue(labels, out var metric))
            {
                byLabels.Add(labels, metric = new MetricBuffer());
                Metrics.Add(metric);
            }
            return metric;
        }
    }

    /// <summary>The series of one metric: one label set (without <c>le</c>) of a family.</summary>
    private sealed class MetricBuffer
    {
        public List<SeriesBuffer> Series { get; } = [];
    }

    /// <summary>One series' points; written in strictly increasing time (see <see cref="Order"/>).</summary>
    private sealed class SeriesBuffer(string sampleText, int rank, double le)
    {
        private readonly List<long> times = [];
        private readonly List<double> values = [];
        private bool outOfOrder;

        /// <summary>The sample's name and labels as written: <c>name{a="x"}</c>.</summary>
        public string SampleText { get; } = sampleText;

        public int Rank { get; } = rank;

        public double Le { get; } = le;

        public int Count => times.Count;

        public long TimeAt(int index) => times[index];

        public double ValueAt(int index) => values[index];

        /// <summary>
        /// Adds a point. Runs emit each series in time order; should one come late or twice, the series is put back in
        /// order with one point per time (the last one given), since OpenMetrics wants strictly increasing times.
        /// </summary>
        public void Add(Instant time, double value)
        {
            if (times.Count > 0 && time.Ticks <= times[^1]) outOfOrder = true;
            times.Add(time.Ticks);
            values.Add(value);
        }

        /// <summary>Sorts the points by time, keeping the last given of equal times (call before reading).</summary>
        public void Order()
        {
            if (!outOfOrder) return;
            var points = times.Select((t, i) => (Time: t, Index: i)).OrderBy(p => p.Time).ThenBy(p => p.Index).ToList();
            var (sortedTimes, sortedValues) = (new List<long>(points.Count), new List<double>(points.Count));
            foreach (var (time, index) in points)
            {
                if (sortedTimes.Count > 0 && sortedTimes[^1] == time) sortedValues[^1] = values[index];
                else
                {
                    sortedTimes.Add(time);
                    sortedValues.Add(values[index]);
                }
            }
            times.Clear();
            times.AddRange(sortedTimes);
            values.Clear();
            values.AddRange(sortedValues);
            outOfOrder = false;
        }
    }
}
