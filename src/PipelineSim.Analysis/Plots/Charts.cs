using PipelineSim.Analysis.Statistics;
using PipelineSim.Core.Records;
using ScottPlot;
using ScottPlot.Plottables;
using ScottPlot.TickGenerators;

namespace PipelineSim.Analysis.Plots;

/// <summary>
/// Builds each plot as a ScottPlot <see cref="Plot"/> from plot data, without rendering it, so tests can read back
/// the series a plot holds. Time plots share the run's <see cref="TimeAxis"/> (the whole run, in s, min or h, faults
/// marked) given by a <see cref="RunFrame"/>; latency axes are log10 seconds with ticks labelled in time units.
/// </summary>
public static class Charts
{
    /// <summary>Latency quantiles the over-time plot draws, as the Grafana panel does.</summary>
    private static readonly (double Q, string Label, Color Color)[] OverTimeQuantiles =
        [(0.5, "p50", PlotStyle.Primary), (0.9, "p90", Color.FromHex("#9467bd")), (0.99, "p99", PlotStyle.Failed)];

    public static Plot LatencyHistogram(EndpointPlotData data, PlotContext? context = null)
    {
        var plot = new Plot();
        PlotStyle.Apply(plot, Title(context, $"{Name(data)}: push latency"), "push latency (log scale)", "pushes");
        long[] delivered = data.DeliveredLatencies.SortedTicks.ToArray(), failed = data.FailedLatencies.SortedTicks.ToArray();
        var histogram = LatencyDistribution.Bin([delivered, failed]);
        if (histogram.BinCount == 0) return NoData(plot, "no finished pushes");

        var below = new double[histogram.BinCount];
        AddStackedLogBars(plot, histogram, 0, below, $"delivered ({delivered.Length:N0})", PlotStyle.Delivered);
        AddStackedLogBars(plot, histogram, 1, below, $"failed ({failed.Length:N0})", PlotStyle.Failed);
        UseLogSecondsAxis(plot, histogram.EdgesSeconds[0], histogram.EdgesSeconds[^1]);
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    public static Plot LatencyCdf(EndpointPlotData data, PlotContext? context = null)
    {
        var plot = new Plot();
        PlotStyle.Apply(plot, Title(context, $"{Name(data)}: push latency CDF"), "push latency (log scale)", "fraction of pushes ≤ latency");
        long[] all = LatencyDistribution.MergeSorted(
            [data.DeliveredLatencies.SortedTicks.ToArray(), data.FailedLatencies.SortedTicks.ToArray()]);
        if (all.Length == 0) return NoData(plot, "no finished pushes");

        var cdf = LatencyDistribution.Cdf(all);
        double[] xs = [.. cdf.Select(p => Math.Log10(p.Seconds))], ys = [.. cdf.Select(p => p.Fraction)];
        var line = plot.Add.ScatterLine(xs, ys, PlotStyle.Primary);
        line.ConnectStyle = ConnectStyle.StepHorizontal;
        line.LineWidth = 2;
        line.LegendText = $"finished pushes ({all.Length:N0})";

        foreach (var (p, pattern) in new[] { (0.5, LinePattern.Dotted), (0.9, LinePattern.Dashed), (0.99, LinePattern.DenselyDashed) })
        {
            double seconds = LatencyDistribution.Seconds(Quantile.OfSorted<long>(all, p));
            var marker = plot.Add.VerticalLine(Math.Log10(seconds), 1, Colors.Gray, pattern);
            marker.LegendText = $"p{p * 100:0} {PlotStyle.Seconds(seconds)}";
        }
        UseLogSecondsAxis(plot, cdf[0].Seconds, cdf[^1].Seconds);
        plot.Axes.SetLimitsY(0, 1.02);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    public static Plot AttemptsPerPush(EndpointPlotData data, PlotContext? context = null)
    {
        var plot = new Plot();
        PlotStyle.Apply(plot, Title(context, $"{Name(data)}: attempts per push"), "attempts", "pushes");
        if (data.AttemptsByResult.Count == 0) return NoData(plot, "no pushes");

        var below = new Dictionary<int, double>();
        foreach (var (result, label, color) in new[]
        {
            (PushResult.Delivered, "delivered", PlotStyle.Delivered),
            (PushResult.Failed, "failed", PlotStyle.Failed),
            (PushResult.InFlight, "in flight at the end", PlotStyle.InFlight),
        })
        {
            var bars = new List<Bar>();
            foreach (var (attempts, byResult) in data.AttemptsByResult)
            {
                long count = byResult[(int)result];
                if (count == 0) continue;
                double bottom = below.GetValueOrDefault(attempts);
                bars.Add(new Bar { Position = attempts, ValueBase = bottom, Value = bottom + count, Size = 0.8, FillColor = color });
                below[attempts] = bottom + count;
            }
            if (bars.Count == 0) continue;
            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = $"{label} ({bars.Sum(b => b.Value - b.ValueBase):N0})";
            plottable.Color = color;
        }
        var ticks = new NumericManual();
        foreach (int attempts in data.AttemptsByResult.Keys) ticks.AddMajor(attempts, attempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    public static Plot RetriesOverTime(EndpointPlotData data, RunFrame? frame = null)
    {
        var plot = new Plot();
        frame ??= RunFrame.Of(data.Retries);
        data.Retries.WidenTo(TimeHistogram.WidthToCover(TimeSpan.FromSeconds(frame.Time.SpanSeconds)));
        var width = data.Retries.BinWidth;
        PlotStyle.Apply(plot, frame.Context.Title($"{Name(data)}: retries over time"), frame.Time.Label, $"retries per {PlotStyle.Duration(width)}");
        if (data.Retries.Total == 0) return NoData(plot, "no retries", frame);
        var bars = plot.Add.Bars(TimeBars(data.Retries, width, new double[data.Retries.Counts.Length], PlotStyle.Primary, frame.Time));
        bars.LegendText = $"attempts after the first ({data.Retries.Total:N0})";
        bars.Color = PlotStyle.Primary;
        plot.Axes.Margins(bottom: 0);
        frame.Time.Apply(plot, frame.Context.Faults);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>
    /// Push latency over time as the Grafana panel shows it: p50, p90 and p99 of the pushes observed in each sample
    /// step, from the sampled <c>pyroscope_write_latency</c> histogram (so resolved only to its buckets). A step in
    /// which no push finished leaves a gap.
    /// </summary>
    public static Plot LatencyOverTime(EndpointPlotData data, RunFrame? frame = null)
    {
        var plot = new Plot();
        frame ??= RunFrame.Of(data);
        var series = OverTimeQuantiles.Select(q => (q.Label, q.Color, Points: data.WriteLatency.Quantile(q.Q))).ToList();
        double step = data.WriteLatency.StepSeconds;
        string perStep = double.IsFinite(step) ? $"per {PlotStyle.Duration(TimeSpan.FromSeconds(step))} step" : "per sample step";
        PlotStyle.Apply(plot, frame.Context.Title($"{Name(data)}: push latency over time"), frame.Time.Label,
            $"push latency (s), pyroscope_write_latency {perStep}");
        if (series.All(s => s.Points.Count == 0)) return NoData(plot, "no pyroscope_write_latency samples", frame);

        foreach (var (label, color, points) in series)
        {
            bool first = true;
            foreach (var segment in Segments(points, step))
            {
                double[] xs = [.. segment.Select(p => frame.Time.X(p.Seconds))], ys = [.. segment.Select(p => p.Value)];
                var line = plot.Add.ScatterLine(xs, ys, color);
                line.LineWidth = 2;
                line.MarkerSize = segment.Count == 1 ? 5 : 0;
                if (first) line.LegendText = label;
                first = false;
            }
        }
        double highestBound = MetricNames.WriteLatencyBuckets[^1];
        double peak = series.SelectMany(s => s.Points).Max(p => p.Value);
        if (peak >= highestBound)
            plot.Add.Annotation($"latencies above {PlotStyle.Seconds(highestBound)} show as {PlotStyle.Seconds(highestBound)}: the histogram's highest bucket", Alignment.UpperLeft);
        plot.Axes.SetLimitsY(0, Math.Max(peak, 0.01) * 1.1);
        frame.Time.Apply(plot, frame.Context.Faults);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>Runs of points no more than one step apart: a line joins only neighbouring steps.</summary>
    private static IEnumerable<List<TimePoint>> Segments(IReadOnlyList<TimePoint> points, double step)
    {
        var segment = new List<TimePoint>();
        foreach (var point in points)
        {
            if (segment.Count > 0 && point.Seconds - segment[^1].Seconds > step * 1.5)
            {
                yield return segment;
                segment = [];
            }
            segment.Add(point);
        }
        if (segment.Count > 0) yield return segment;
    }

    public static Plot OutcomesOverTime(EndpointPlotData data, RunFrame? frame = null)
    {
        var plot = new Plot();
        frame ??= RunFrame.Of(data.OutcomesByCode.Values);
        var common = TimeHistogram.CommonWidth(data.OutcomesByCode.Values);
        var covering = TimeHistogram.WidthToCover(TimeSpan.FromSeconds(frame.Time.SpanSeconds));
        var width = common > covering ? common : covering;
        foreach (var histogram in data.OutcomesByCode.Values) histogram.WidenTo(width);
        PlotStyle.Apply(plot, frame.Context.Title($"{Name(data)}: push outcomes over time"), frame.Time.Label, $"pushes finished per {PlotStyle.Duration(width)}");
        if (data.OutcomesByCode.Count == 0) return NoData(plot, "no finished pushes", frame);

        int bins = data.OutcomesByCode.Values.Max(h => h.Counts.Length);
        var below = new double[bins];
        // ok at the bottom, failures stacked above it in code-name order.
        foreach (var (code, histogram) in data.OutcomesByCode.OrderBy(c => c.Key == "ok" ? 0 : 1).ThenBy(c => c.Key, StringComparer.Ordinal))
        {
            var color = PlotStyle.ForCode(code);
            var bars = plot.Add.Bars(TimeBars(histogram, width, below, color, frame.Time));
            bars.LegendText = $"{code} ({histogram.Total:N0})";
            bars.Color = color;
        }
        plot.Axes.Margins(bottom: 0);
        frame.Time.Apply(plot, frame.Context.Faults);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    public static Plot ReceiverConnections(ReceiverPlotData data, RunFrame? frame = null)
    {
        var plot = new Plot();
        frame ??= RunFrame.Of(data.Connections);
        PlotStyle.Apply(plot, frame.Context.Title($"{data.Receiver}: accepted connections"), frame.Time.Label, "connections");
        if (data.Connections.Count == 0) return NoData(plot, "no tcp_connections samples", frame);

        var accepted = AddLine(plot, data.Connections, PlotStyle.Primary, "accepted (pyroscope_receive_http_tcp_connections)", frame.Time);
        accepted.LineWidth = 2;
        if (data.Limit.Any(p => p.Value > 0))
        {
            var limit = AddLine(plot, data.Limit, PlotStyle.Limit, "conn_limit (pyroscope_receive_http_tcp_connections_limit)", frame.Time);
            limit.LinePattern = LinePattern.Dashed;
            limit.LineWidth = 2;
        }
        else if (data.Limit.Count > 0)
        {
            plot.Add.Annotation("conn_limit: none (0 = unlimited)", Alignment.UpperLeft);
        }
        YFromZero(plot, data.Connections.Concat(data.Limit));
        frame.Time.Apply(plot, frame.Context.Faults);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    public static Plot ReceiverBacklog(ReceiverPlotData data, RunFrame? frame = null)
    {
        var plot = new Plot();
        frame ??= RunFrame.Of(data.Backlog);
        PlotStyle.Apply(plot, frame.Context.Title($"{data.Receiver}: accept backlog"), frame.Time.Label, "connections waiting for accept");
        if (data.Backlog.Count == 0) return NoData(plot, "no accept backlog samples", frame);
        AddLine(plot, data.Backlog, PlotStyle.Primary, "accept backlog (pipelinesim_accept_backlog)", frame.Time).LineWidth = 2;
        YFromZero(plot, data.Backlog);
        frame.Time.Apply(plot, frame.Context.Faults);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    public static Plot ReceiverSynDrops(ReceiverPlotData data, RunFrame? frame = null)
    {
        var plot = new Plot();
        frame ??= RunFrame.Of(data.SynDropsTotal);
        PlotStyle.Apply(plot, frame.Context.Title($"{data.Receiver}: SYN drops (accept backlog full)"), frame.Time.Label, "SYN drops per second");
        var rate = data.SynDropRate();
        if (rate.Count == 0) return NoData(plot, "fewer than two SYN drop samples", frame);
        double total = data.SynDropsTotal.Count > 0 ? data.SynDropsTotal[^1].Value : 0;
        AddLine(plot, rate, PlotStyle.Failed, $"rate of pipelinesim_syn_drops_total ({total:N0} in all)", frame.Time).LineWidth = 2;
        YFromZero(plot, rate);
        frame.Time.Apply(plot, frame.Context.Faults);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static string Name(EndpointPlotData data) => $"{data.Writer} → {data.Endpoint}";

    private static string Title(PlotContext? context, string what) => (context ?? PlotContext.None).Title(what);

    private static Plot NoData(Plot plot, string why, RunFrame? frame = null)
    {
        plot.Add.Annotation(why, Alignment.MiddleCenter);
        frame?.Time.Apply(plot, frame.Context.Faults);
        return plot;
    }

    /// <summary>A gauge read against zero: the y axis starts there and leaves a little room above the peak.</summary>
    private static void YFromZero(Plot plot, IEnumerable<TimePoint> points)
    {
        double peak = points.Select(p => p.Value).DefaultIfEmpty(0).Max();
        plot.Axes.SetLimitsY(0, Math.Max(1, peak) * 1.08);
    }

    private static Scatter AddLine(Plot plot, IReadOnlyList<TimePoint> points, Color color, string legend, TimeAxis time)
    {
        double[] xs = [.. points.Select(p => time.X(p.Seconds))], ys = [.. points.Select(p => p.Value)];
        var line = plot.Add.ScatterLine(xs, ys, color);
        line.ConnectStyle = ConnectStyle.StepHorizontal; // a sampled gauge holds its value until the next sample
        line.LegendText = legend;
        return line;
    }

    /// <summary>One bar per non-empty bin, centred on the bin, stacked on <paramref name="below"/> (updated).</summary>
    private static List<Bar> TimeBars(TimeHistogram histogram, TimeSpan width, double[] below, Color color, TimeAxis time)
    {
        var bars = new List<Bar>();
        var counts = histogram.Counts;
        double seconds = width.TotalSeconds;
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0) continue;
            bars.Add(new Bar
            {
                Position = time.X((i + 0.5) * seconds), ValueBase = below[i], Value = below[i] + counts[i], Size = time.X(seconds),
                FillColor = color, LineWidth = 0,
            });
            below[i] += counts[i];
        }
        return bars;
    }

    private static void AddStackedLogBars(Plot plot, LatencyDistribution.Histogram histogram, int series, double[] below, string legend, Color color)
    {
        var bars = new List<Bar>();
        for (int i = 0; i < histogram.BinCount; i++)
        {
            long count = histogram.Counts[series][i];
            if (count == 0) continue;
            double left = Math.Log10(histogram.EdgesSeconds[i]), right = Math.Log10(histogram.EdgesSeconds[i + 1]);
            bars.Add(new Bar
            {
                Position = (left + right) / 2, ValueBase = below[i], Value = below[i] + count, Size = right - left,
                FillColor = color, LineWidth = 0,
            });
            below[i] += count;
        }
        if (bars.Count == 0) return;
        var plottable = plot.Add.Bars(bars);
        plottable.LegendText = legend;
        plottable.Color = color;
    }

    /// <summary>An x axis in log10 seconds: labelled ticks at 1, 2 and 5 of each decade in time units, minor ticks between.</summary>
    private static void UseLogSecondsAxis(Plot plot, double minSeconds, double maxSeconds)
    {
        plot.Axes.Bottom.TickGenerator = LogSecondsTicks(minSeconds, maxSeconds);
        var (low, high) = PaddedLogRange(minSeconds, maxSeconds);
        plot.Axes.SetLimitsX(low, high);
    }

    /// <summary>The same log10-seconds scale on the y axis (the planner's latency against conn_limit).</summary>
    internal static void UseLogSecondsAxisY(Plot plot, double minSeconds, double maxSeconds)
    {
        plot.Axes.Left.TickGenerator = LogSecondsTicks(minSeconds, maxSeconds);
        var (low, high) = PaddedLogRange(minSeconds, maxSeconds);
        plot.Axes.SetLimitsY(low, high);
    }

    private static NumericManual LogSecondsTicks(double minSeconds, double maxSeconds)
    {
        int first = (int)Math.Floor(Math.Log10(minSeconds) + 1e-9) - 1;
        int last = (int)Math.Ceiling(Math.Log10(maxSeconds) - 1e-9) + 1;
        var ticks = new NumericManual();
        for (int decade = first; decade <= last; decade++)
        {
            for (int m = 1; m <= 9; m++)
            {
                double at = decade + Math.Log10(m);
                if (m is 1 or 2 or 5) ticks.AddMajor(at, PlotStyle.Seconds(m * Math.Pow(10, decade)));
                else ticks.AddMinor(at);
            }
        }
        return ticks;
    }

    /// <summary>Room on both sides, so a step or bar at the very edge (every failure at 10 s, say) stays visible.</summary>
    private static (double Low, double High) PaddedLogRange(double minSeconds, double maxSeconds)
    {
        double low = Math.Log10(minSeconds), high = Math.Log10(maxSeconds);
        double pad = Math.Max(0.05, (high - low) * 0.04);
        return (low - pad, high + pad);
    }
}

/// <summary>The run a time plot belongs to: what it was (titles, faults) and the time axis every such plot shares.</summary>
public sealed record RunFrame(PlotContext Context, TimeAxis Time)
{
    public static RunFrame For(RunPlotData data, PlotContext context) =>
        new(context, TimeAxis.Spanning(context.Duration ?? data.LastRecordTime));

    /// <summary>Without a run to frame a plot in: the span of what the plot itself shows.</summary>
    internal static RunFrame Of(IEnumerable<TimePoint> points) =>
        new(PlotContext.None, TimeAxis.Spanning(TimeSpan.FromSeconds(points.Select(p => p.Seconds).DefaultIfEmpty(0).Max())));

    internal static RunFrame Of(EndpointPlotData data) => Of(data.WriteLatency.Quantile(0.5));

    internal static RunFrame Of(TimeHistogram histogram) => Of([histogram]);

    internal static RunFrame Of(IEnumerable<TimeHistogram> histograms) =>
        new(PlotContext.None, TimeAxis.Spanning(histograms.Select(h => h.BinWidth * h.Counts.Length).DefaultIfEmpty(TimeSpan.Zero).Max()));
}
