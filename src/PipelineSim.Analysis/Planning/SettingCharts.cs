using PipelineSim.Analysis.Plots;
using PipelineSim.Analysis.Statistics;
using ScottPlot;
using ScottPlot.TickGenerators;
using PlotStyle = PipelineSim.Analysis.Plots.PlotStyle;

namespace PipelineSim.Analysis.Planning;

/// <summary>
/// The plot of a sweep over knobs (<c>--vary</c>), one per SLO, each setting judged at the point that decides it (its
/// smallest sufficient conn_limit, else its largest). Two knobs and nothing else varied make a map: one knob across,
/// the other up, each cell green where the SLO is met and red where not, with its estimate written in, and the
/// recommended setting outlined. Otherwise settings stand side by side in grid order, each estimate with its 95%
/// interval as a vertical bar, beside the SLO threshold.
/// </summary>
public static class SettingCharts
{
    /// <summary>More settings than this side by side get their labels turned upright, values only.</summary>
    private const int UprightLabelsAbove = 12;

    public static Plot SloBySetting(PlanResult plan, int sloIndex) =>
        IsTwoKnobMap(plan) ? SloOverTwoKnobs(plan, sloIndex) : SloAlongSettings(plan, sloIndex);

    /// <summary>Exactly two knobs, one fleet size and one replica count: every group is one cell of the map.</summary>
    private static bool IsTwoKnobMap(PlanResult plan) =>
        plan.Sweep.Grid.Knobs.Count == 2 && plan.Groups.Count == plan.Sweep.Grid.SettingCount;

    private static Plot SloOverTwoKnobs(PlanResult plan, int sloIndex)
    {
        var sweep = plan.Sweep;
        var slo = sweep.Slos[sloIndex];
        var (across, up) = (sweep.Grid.Knobs[0], sweep.Grid.Knobs[1]);
        var plot = new Plot();
        PlotStyle.Apply(plot, $"{sweep.ScenarioName}: {slo.Description} by setting (estimate; green: met with 95% confidence)",
            across.ShortName, up.ShortName);
        bool metShown = false, failedShown = false;
        foreach (var group in plan.Groups)
        {
            // The last knob varies fastest (PlanGrid.Setting).
            int x = group.Setting / up.Values.Count, y = group.Setting % up.Values.Count;
            var estimate = (group.Sufficient ?? group.Points[^1]).Slos[sloIndex];
            var cell = plot.Add.Rectangle(x - 0.48, x + 0.48, y - 0.48, y + 0.48);
            var color = estimate.Interval is null ? PlotStyle.InFlight : estimate.Met ? PlotStyle.Delivered : PlotStyle.Failed;
            cell.FillColor = color.WithAlpha(0.35);
            cell.LineColor = color;
            cell.LineWidth = 1;
            if (estimate.Interval is not null && estimate.Met && !metShown)
            {
                cell.LegendText = $"meets {slo}";
                metShown = true;
            }
            else if (estimate.Interval is not null && !estimate.Met && !failedShown)
            {
                cell.LegendText = $"fails {slo}";
                failedShown = true;
            }
            if (ReferenceEquals(group, plan.Choice))
            {
                var outline = plot.Add.Rectangle(x - 0.48, x + 0.48, y - 0.48, y + 0.48);
                outline.FillColor = Colors.Transparent;
                outline.LineColor = Colors.Black;
                outline.LineWidth = 4;
                outline.LegendText = "recommended setting";
            }
            var value = plot.Add.Text(estimate.Interval is { } ci ? slo.FormatValue(ci.Estimate) : "n/a", x, y);
            value.LabelAlignment = Alignment.MiddleCenter;
            value.LabelFontSize = 12;
            value.LabelFontColor = Colors.Black;
        }
        plot.Axes.Bottom.TickGenerator = ValueTicks(across);
        plot.Axes.Left.TickGenerator = ValueTicks(up);
        plot.Axes.SetLimits(-0.5, across.Values.Count - 0.5, -0.5, up.Values.Count - 0.5);
        plot.ShowLegend(Edge.Bottom); // outside the map, which every cell fills
        return plot;
    }

    private static NumericManual ValueTicks(KnobSweep knob)
    {
        var ticks = new NumericManual();
        for (int i = 0; i < knob.Values.Count; i++) ticks.AddMajor(i, knob.Values[i]);
        return ticks;
    }

    private static Plot SloAlongSettings(PlanResult plan, int sloIndex)
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
        // Many settings: each label upright and values only, the knobs' names in the axis title, so labels never overlap.
        bool upright = plan.Groups.Count > UprightLabelsAbove && sweep.Grid.Knobs.Count > 0 && plan.Groups.Count == sweep.Grid.SettingCount;
        string axis = upright ? $"setting ({string.Join(", ", sweep.Grid.Knobs.Select(k => k.ShortName))})" : "setting";
        PlotStyle.Apply(plot, $"{sweep.ScenarioName}: {slo.Description} by setting (95% interval)", axis, unit);
        double Y(double value) => slo.Metric == SloMetric.Delivered ? value * 100 : value;

        var ticks = new NumericManual();
        for (int g = 0; g < plan.Groups.Count; g++)
        {
            var group = plan.Groups[g];
            var point = group.Sufficient ?? group.Points[^1];
            ticks.AddMajor(g, upright
                ? string.Join(", ", sweep.Grid.Setting(group.Setting).Select(o => o.Value))
                : group.Label.Replace(", ", "\n", StringComparison.Ordinal));
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
        if (upright)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -90;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        }
        plot.Axes.SetLimitsX(-0.5, plan.Groups.Count - 0.5);
        plot.ShowLegend(slo.IsFloor ? Alignment.LowerRight : Alignment.UpperRight);
        return plot;
    }

    /// <summary>File stems, one per SLO: <c>plan_settings_p99</c>.</summary>
    public static IReadOnlyList<string> FileStems(IReadOnlyList<Slo> slos) => [.. Slo.DistinctKeys(slos).Select(k => "plan_settings_" + k)];
}
