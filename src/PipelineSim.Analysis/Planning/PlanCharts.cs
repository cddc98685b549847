using PipelineSim.Analysis.Plots;
using PipelineSim.Analysis.Statistics;
using ScottPlot;
using PlotStyle = PipelineSim.Analysis.Plots.PlotStyle;

namespace PipelineSim.Analysis.Planning;

/// <summary>
/// The planner's plots, built without rendering (tests read the series back): per SLO, the metric's estimate at each
/// conn_limit of the grid with its 95% interval as an error bar, one series per (fleet, replicas) group, the SLO
/// threshold, the recommended limit of each group and, when there is one group, the smallest sufficient limit. Only
/// the measured grid points are drawn, with no line between them: a line from 125 to 150 crossing the threshold at
/// 140 would read as a measurement of 140 that was never made.
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
            SloMetric.Claim => "left side minus right side",
            _ => $"{slo.Key} push latency (log scale)",
        };
        var plot = new Plot();
        PlotStyle.Apply(plot, $"{sweep.ScenarioName}, base seed {sweep.BaseSeed}: {slo.Description} against conn_limit (95% interval)",
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
            SloMetric.Failed or SloMetric.Claim => value,
            _ => Math.Log10(Math.Max(value, floor)),
        };

        for (int g = 0; g < plan.Groups.Count; g++)
        {
            var group = plan.Groups[g];
            var color = plan.Groups.Count == 1 ? PlotStyle.Primary : Palette.GetColor(g);
            var estimates = group.Points
                .OrderBy(p => p.Point.ConnLimit)
                .Where(p => p.Slos[sloIndex].Interval is not null)
                .Select(p => (Limit: (double)p.Point.ConnLimit, Interval: p.Slos[sloIndex].Interval!.Value))
                .ToList();
            if (estimates.Count == 0) continue;
            double[] xs = [.. estimates.Select(e => e.Limit)];
            double[] ys = [.. estimates.Select(e => Y(e.Interval.Estimate))];
            bool bounded = estimates.All(e => double.IsFinite(e.Interval.Lower) && double.IsFinite(e.Interval.Upper));
            if (bounded)
            {
                double[] above = [.. estimates.Select((e, i) => Y(e.Interval.Upper) - ys[i])];
                double[] below = [.. estimates.Select((e, i) => ys[i] - Y(e.Interval.Lower))];
                var bars = new ScottPlot.Plottables.ErrorBar(xs, ys, null, null, above, below) { LineColor = color, LineWidth = 2 };
                plot.Add.Plottable(bars);
            }
            var points = plot.Add.ScatterPoints(xs, ys, color);
            points.MarkerSize = 9;
            string name = group.Label.Length == 0 ? "estimate at each measured conn_limit" : group.Label;
            points.LegendText = bounded ? name : $"{name} (no interval: one replication)";
        }

        var threshold = plot.Add.HorizontalLine(Y(slo.Threshold), 2, PlotStyle.Limit, LinePattern.Dashed);
        threshold.LegendText = $"SLO {slo}";
        if (plan.Groups.Count == 1 && plan.Groups[0].Sufficient is { } sufficient)
        {
            var marker = plot.Add.VerticalLine(sufficient.Point.ConnLimit, 2, PlotStyle.Delivered, LinePattern.Dotted);
            marker.LegendText = $"smallest sufficient conn_limit: {sufficient.Point.ConnLimit}";
        }
        for (int g = 0; g < plan.Groups.Count; g++)
        {
            if (plan.Groups[g].Recommended is not int recommended) continue;
            var color = plan.Groups.Count == 1 ? PlotStyle.Delivered : Palette.GetColor(g);
            var marker = plot.Add.VerticalLine(recommended, 3, color, LinePattern.Solid);
            marker.LegendText = plan.Groups.Count == 1
                ? $"recommended conn_limit: {recommended}"
                : $"recommended conn_limit for {plan.Groups[g].Label}: {recommended}";
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
