using PipelineSim.Analysis.Planning;
using ScottPlot;
using PlotStyle = PipelineSim.Analysis.Plots.PlotStyle;
using Rectangle = ScottPlot.Plottables.Rectangle;

namespace PipelineSim.Analysis.Tests.Planning;

public class SettingChartsTests
{
    private static readonly KnobSweep W1 = new("components.w1.endpoints[0].remote_timeout", ["10s", "20s", "30s"], KnobPreference.Low);
    private static readonly KnobSweep W2 = new("components.w2.endpoints[0].remote_timeout", ["2s", "5s"], KnobPreference.High);

    /// <summary>Settings with w1 at 10 s deliver 90%, the rest everything: the SLO delivered>=99% fails only there.</summary>
    private static PlanResult Plan(params KnobSweep[] knobs)
    {
        var synthetic = PlanSweeps.Synthetic([100]);
        var sweep = synthetic with { Grid = synthetic.Grid with { Knobs = knobs } };
        var runs = PlanSweeps.Runs(sweep, (point, _) => sweep.Grid.Setting(point.Setting)[0].Value == "10s" ? 9_000 : 10_000);
        return PlanEvaluator.Evaluate(sweep, PlanSweeps.Facts, runs);
    }

    /// <summary>The tick labels as drawn: a manual tick generator hands out its ticks when the plot renders.</summary>
    private static string[] BottomLabels(Plot plot)
    {
        plot.GetImageBytes(900, 600, ImageFormat.Png);
        return [.. plot.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Label)];
    }

    [Fact]
    public void Two_knobs_make_a_map_one_cell_per_setting_coloured_by_the_verdict_with_the_choice_outlined()
    {
        var plan = Plan(W1, W2);
        var plot = SettingCharts.SloBySetting(plan, 0);

        var rectangles = plot.PlottableList.OfType<Rectangle>().ToList();
        var cells = rectangles.Where(r => r.LineWidth == 1).ToList();
        Assert.Equal(6, cells.Count);
        foreach (var cell in cells)
        {
            // w1 across (x = its index), w2 up (y = its index).
            string w1 = W1.Values[(int)Math.Round((cell.X1 + cell.X2) / 2)];
            Assert.Equal(w1 == "10s" ? PlotStyle.Failed : PlotStyle.Delivered, cell.LineColor);
        }

        // The cheapest setting that meets the SLO: w1 low first (20 s), then w2 high (5 s): column 1, row 1.
        Assert.Equal("w1.remote_timeout=20s, w2.remote_timeout=5s", plan.Choice!.Label);
        var outline = Assert.Single(rectangles, r => r.LineWidth > 1);
        Assert.Equal((1.0, 1.0), ((outline.X1 + outline.X2) / 2, (outline.Y1 + outline.Y2) / 2));
        Assert.Equal("w1.remote_timeout", plot.Axes.Bottom.Label.Text);
        Assert.Equal("w2.remote_timeout", plot.Axes.Left.Label.Text);
        Assert.Equal(["10s", "20s", "30s"], BottomLabels(plot));
    }

    [Fact]
    public void Many_settings_in_a_row_get_upright_value_labels_and_the_knob_names_in_the_axis_title()
    {
        var many = new KnobSweep("components.w2.endpoints[0].max_backoff_retries", [.. Enumerable.Range(1, 13).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        var plot = SettingCharts.SloBySetting(Plan(many), 0);

        Assert.Equal(-90, plot.Axes.Bottom.TickLabelStyle.Rotation);
        Assert.Equal("setting (w2.max_backoff_retries)", plot.Axes.Bottom.Label.Text);
        Assert.Equal(many.Values, BottomLabels(plot));
    }

    [Fact]
    public void A_few_settings_keep_their_full_labels()
    {
        var plot = SettingCharts.SloBySetting(Plan(W1), 0);
        Assert.Equal(0, plot.Axes.Bottom.TickLabelStyle.Rotation);
        Assert.Contains("w1.remote_timeout=20s", BottomLabels(plot));
    }
}
