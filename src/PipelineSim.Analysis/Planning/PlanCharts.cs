using PipelineSim.Analysis.Plots;
using PipelineSim.Analysis.Statistics;
using ScottPlot;
using PlotStyle = PipelineSim.Analysis.Plots.PlotStyle;

namespace PipelineSim.Analysis.Planning;

/// <summary>
/// The planner's plots, built without rendering (tests read the series back): per SLO, the metric's estimate against
/// conn_limit with its 95% interval as a band, one line per (fleet, replicas) group, the SLO threshold, and the
/// smallest sufficient limit when there is one group.
/// </summary>
public static class PlanCharts
{
    private static readonly ScottPlot.Palettes.Category10 Palette = new();

    public static Plot SloAgainstLimit(PlanResult plan, int sloIndex)
    {
        var sweep = plan.Sweep;
        var slo = sweep.Slos[sloIndex];
        string unit = slo.Metric switch
        {
            SloMetric.Delivered => "delivered pushes (%)",
            SloMetric.Failed => "undelivered pushes per run",
            _ => $"{slo.Key} push latency (log scale)",
        };
        var plot = new Plot();
        PlotStyle.Apply(plot, $"{sweep.ScenarioName}: {slo.Description} against conn_limit (95% interval)",
            $"conn_limit of {sweep.Receiver} (per instance)", unit);

        var intervals = plan.Groups.SelectMany(g => g.Points).Select(p => p.Slos[sloIndex].Interval).OfType<ConfidenceInterval>().ToList();
        // Latency on a log axis, as in every latency plot: a band reaching zero or below is cut a decade under the
        // smallest value shown.
        double floor = slo.IsLatency
            ? intervals.Select(i => i.Estimate).Append(slo.Threshold).Where(v => v > 0).Min() / 10
            : double.NegativeInfinity;
        double Y(double value) => slo.Metric switch
        {
            SloMetric.Delivered => value * 100,
            SloMetric.Failed => value,
            _ => Math.Log10(Math.Max(value, floor)),
        };

        for (int g = 0; g < plan.Groups.Count; g++)
        {
            var group = plan.Groups[g];
            var color = plan.Groups.Count == 1 ? PlotStyle.Primary : Palette.GetColor(g);
            var estimates = group.Points
                .Select(p => (Limit: (double)p.Point.ConnLimit, Interval: p.Slos[sloIndex].Interval))
                .Where(e => e.Interval is not null)
                .Select(e => (e.Limit, Interval: e.Interval!.Value))
                .ToList();
            if (estimates.Count == 0) continue;
            double[] xs = [.. estimates.Select(e => e.Limit)];
            bool bounded = estimates.All(e => double.IsFinite(e.Interval.Lower) && double.IsFinite(e.Interval.Upper));
            if (bounded)
            {
                var band = plot.Add.FillY(xs, [.. estimates.Select(e => Y(e.Interval.Lower))], [.. estimates.Select(e => Y(e.Interval.Upper))]);
                band.FillColor = color.WithAlpha(0.2);
                band.LineColor = Colors.Transparent;
            }
            var line = plot.Add.Scatter(xs, [.. estimates.Select(e => Y(e.Interval.Estimate))], color);
            line.LineWidth = 2;
            line.MarkerSize = 7;
            string name = group.Label.Length == 0 ? "estimate" : group.Label;
            line.LegendText = bounded ? name : $"{name} (no interval: one replication)";
        }

        var threshold = plot.Add.HorizontalLine(Y(slo.Threshold), 2, PlotStyle.Limit, LinePattern.Dashed);
        threshold.LegendText = $"SLO {slo}";
        if (plan.Groups.Count == 1 && plan.Groups[0].Sufficient is { } sufficient)
        {
            var marker = plot.Add.VerticalLine(sufficient.Point.ConnLimit, 2, PlotStyle.Delivered, LinePattern.Dotted);
            marker.LegendText = $"smallest sufficient conn_limit: {sufficient.Point.ConnLimit}";
        }
        if (slo.IsLatency)
        {
            var shown = intervals.SelectMany(i => new[] { i.Lower, i.Estimate, i.Upper }).Append(slo.Threshold).Where(double.IsFinite)
                .Select(v => Math.Max(v, floor)).ToList();
            plot.Axes.AutoScaleX();
            Charts.UseLogSecondsAxisY(plot, shown.Min(), shown.Max());
        }
        plot.ShowLegend(slo.IsFloor ? Alignment.LowerRight : Alignment.UpperRight);
        return plot;
    }

    /// <summary>File stems, one per SLO: <c>plan_delivered</c>, <c>plan_p99</c>, <c>plan_p99_2</c>.</summary>
    public static IReadOnlyList<string> FileStems(IReadOnlyList<Slo> slos) => [.. Slo.DistinctKeys(slos).Select(k => "plan_" + k)];
}
