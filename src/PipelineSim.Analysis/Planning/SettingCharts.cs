using PipelineSim.Analysis.Plots;
using PipelineSim.Analysis.Statistics;
using ScottPlot;
using ScottPlot.TickGenerators;
using PlotStyle = PipelineSim.Analysis.Plots.PlotStyle;

namespace PipelineSim.Analysis.Planning;

/// <summary>
/// The plot of a sweep over knobs (<c>--vary</c>): per SLO, each setting's estimate with its 95% interval as a
/// vertical bar, the SLO threshold, and the recommended setting drawn in its own colour. Settings stand side by side
/// in grid order, each judged at the point that decides it (its smallest sufficient conn_limit, else its largest).
/// </summary>
public static class SettingCharts
{
    public static Plot SloBySetting(PlanResult plan, int sloIndex)
    {
        var sweep = plan.Sweep;
        var slo = sweep.Slos[sloIndex];
        var plot = new Plot();
        string unit = slo.Metric switch
        {
            SloMetric.Delivered => "delivered pushes (%)",
            SloMetric.Failed => "undelivered pushes per run",
            SloMetric.Claim => "left side minus right side",
            _ => $"{slo.Key} push latency (s)",
        };
        PlotStyle.Apply(plot, $"{sweep.ScenarioName}: {slo.Description} by setting (95% interval)", "setting", unit);
        double Y(double value) => slo.Metric == SloMetric.Delivered ? value * 100 : value;

        var ticks = new NumericManual();
        for (int g = 0; g < plan.Groups.Count; g++)
        {
            var group = plan.Groups[g];
            var point = group.Sufficient ?? group.Points[^1];
            ticks.AddMajor(g, group.Label.Replace(", ", "\n", StringComparison.Ordinal));
            if (point.Slos[sloIndex].Interval is not ConfidenceInterval ci) continue;
            bool chosen = ReferenceEquals(group, plan.Choice);
            var color = chosen ? PlotStyle.Delivered : PlotStyle.Primary;
            if (double.IsFinite(ci.Lower) && double.IsFinite(ci.Upper))
            {
                var bar = plot.Add.Line(g, Y(ci.Lower), g, Y(ci.Upper));
                bar.Color = color;
                bar.LineWidth = 3;
            }
            var estimate = plot.Add.Scatter(new double[] { g }, new[] { Y(ci.Estimate) }, color);
            estimate.LineWidth = 0;
            estimate.MarkerSize = chosen ? 12 : 8;
            if (chosen) estimate.LegendText = "recommended setting";
        }
        var threshold = plot.Add.HorizontalLine(Y(slo.Threshold), 2, PlotStyle.Limit, LinePattern.Dashed);
        threshold.LegendText = $"SLO {slo}";
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.SetLimitsX(-0.5, plan.Groups.Count - 0.5);
        plot.ShowLegend(slo.IsFloor ? Alignment.LowerRight : Alignment.UpperRight);
        return plot;
    }

    /// <summary>File stems, one per SLO: <c>plan_settings_p99</c>.</summary>
    public static IReadOnlyList<string> FileStems(IReadOnlyList<Slo> slos) => [.. Slo.DistinctKeys(slos).Select(k => "plan_settings_" + k)];
}
