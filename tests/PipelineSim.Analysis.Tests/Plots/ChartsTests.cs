using PipelineSim.Analysis.Plots;
using PipelineSim.Analysis.Statistics;
using ScottPlot;
using ScottPlot.Plottables;

namespace PipelineSim.Analysis.Tests.Plots;

/// <summary>Each chart holds the series its data says: read back from the ScottPlot plottables.</summary>
public class ChartsTests
{
    private static readonly RunPlotData Data = Collect();

    private static RunPlotData Collect()
    {
        var data = new RunPlotData();
        SyntheticRun.Standard().Replay(data);
        return data;
    }

    private static EndpointPlotData W1 => Data.Endpoints[0];

    private static List<BarPlot> Bars(Plot plot) => [.. plot.GetPlottables().OfType<BarPlot>()];

    private static IReadOnlyList<Coordinates> Points(Scatter scatter) => scatter.Data.GetScatterPoints();

    [Fact]
    public void Latency_histogram_stacks_delivered_under_failed_in_log_bins()
    {
        using var plot = Charts.LatencyHistogram(W1);
        var bars = Bars(plot);
        Assert.Equal(["delivered (90)", "failed (10)"], bars.Select(b => b.LegendText));
        Assert.Equal(90, bars[0].Bars.Sum(b => b.Value - b.ValueBase));
        var failed = Assert.Single(bars[1].Bars); // ten failures, all at 30 s
        Assert.Equal(10, failed.Value - failed.ValueBase);
        Assert.InRange(Math.Pow(10, failed.Position - failed.Size / 2), 30 / Math.Pow(10, 0.1), 30);
        Assert.Equal("push latency (log scale)", plot.Axes.Bottom.Label.Text);
        Assert.Equal("w1 → http://r:4040: push latency", plot.Axes.Title.Label.Text);
    }

    [Fact]
    public void Cdf_plots_the_empirical_distribution_with_quantile_markers()
    {
        using var plot = Charts.LatencyCdf(W1);
        var line = Assert.Single(plot.GetPlottables().OfType<Scatter>());
        var points = Points(line);
        var expected = LatencyDistribution.Cdf(
            LatencyDistribution.MergeSorted([W1.DeliveredLatencies.SortedTicks.ToArray(), W1.FailedLatencies.SortedTicks.ToArray()]));
        Assert.Equal(expected.Select(p => (Math.Log10(p.Seconds), p.Fraction)), points.Select(p => (p.X, p.Y)));
        Assert.Equal(1.0, points[^1].Y);
        Assert.Equal(Math.Log10(30), points[^1].X, 12);

        var markers = plot.GetPlottables().OfType<VerticalLine>().ToList();
        Assert.Equal(["p50 5 s", "p90 9 s", "p99 30 s"], markers.Select(m => m.LegendText));
        Assert.Equal(Math.Log10(5), markers[0].X, 12);
    }

    [Fact]
    public void Attempts_plot_has_one_stacked_bar_per_attempt_count_split_by_result()
    {
        using var plot = Charts.AttemptsPerPush(W1);
        var bars = Bars(plot);
        Assert.Equal(["delivered (90)", "failed (10)", "in flight at the end (2)"], bars.Select(b => b.LegendText));
        Assert.Equal([(1.0, 0.0, 90.0)], bars[0].Bars.Select(b => (b.Position, b.ValueBase, b.Value)));
        Assert.Equal([(3.0, 0.0, 10.0)], bars[1].Bars.Select(b => (b.Position, b.ValueBase, b.Value)));
        Assert.Equal([(1.0, 90.0, 92.0)], bars[2].Bars.Select(b => (b.Position, b.ValueBase, b.Value)));
    }

    [Fact]
    public void Retries_plot_counts_attempts_after_the_first_by_their_start()
    {
        using var plot = Charts.RetriesOverTime(W1);
        var bars = Assert.Single(Bars(plot)).Bars;
        Assert.Equal(20, bars.Sum(b => b.Value));
        // Failed push k (k = 0..9) started at 5 + k s; its retries start 10 s and 20 s later.
        double width = W1.Retries.BinWidth.TotalSeconds;
        var expected = Enumerable.Range(0, 10).SelectMany(k => new[] { 15.0 + k, 25.0 + k })
            .GroupBy(t => Math.Floor(t / width)).OrderBy(g => g.Key)
            .Select(g => ((g.Key + 0.5) * width, (double)g.Count()));
        Assert.Equal(expected, bars.Select(b => (b.Position, b.Value)));
        Assert.Equal(TimeSpan.FromSeconds(1), W1.Retries.BinWidth); // retries span 15–35 s: beyond 150 bins of 0.2 s
        Assert.Equal("retries per 1 s", plot.Axes.Left.Label.Text);
    }

    [Fact]
    public void Outcomes_plot_stacks_codes_with_ok_at_the_bottom()
    {
        using var plot = Charts.OutcomesOverTime(W1);
        var bars = Bars(plot);
        Assert.Equal(["ok (90)", "deadline_exceeded (10)"], bars.Select(b => b.LegendText));
        Assert.Equal(90, bars[0].Bars.Sum(b => b.Value - b.ValueBase));
        Assert.Equal(10, bars[1].Bars.Sum(b => b.Value - b.ValueBase));
        // Each failure bar sits on whatever ok pushes ended in the same bin.
        foreach (var failure in bars[1].Bars)
        {
            double okBelow = bars[0].Bars.Where(b => b.Position == failure.Position).Sum(b => b.Value - b.ValueBase);
            Assert.Equal(okBelow, failure.ValueBase);
        }
    }

    [Fact]
    public void Receiver_connections_plot_the_gauge_against_the_limit()
    {
        var r = Assert.Single(Data.Receivers);
        using var plot = Charts.ReceiverConnections(r);
        var lines = plot.GetPlottables().OfType<Scatter>().ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal(Enumerable.Range(0, 61).Select(s => ((double)s, (double)Math.Min(16, s))), Points(lines[0]).Select(p => (p.X, p.Y)));
        Assert.All(Points(lines[1]), p => Assert.Equal(16, p.Y));
        Assert.Equal(LinePattern.Dashed, lines[1].LinePattern);
    }

    [Fact]
    public void Receiver_backlog_and_syn_drop_plots_hold_their_series()
    {
        var r = Assert.Single(Data.Receivers);
        using (var backlog = Charts.ReceiverBacklog(r))
        {
            var line = Assert.Single(backlog.GetPlottables().OfType<Scatter>());
            Assert.Equal(44, Points(line)[^1].Y);
        }
        using var drops = Charts.ReceiverSynDrops(r);
        var rate = Points(Assert.Single(drops.GetPlottables().OfType<Scatter>()));
        // The counter grows by 3 a second from 41 s on.
        Assert.Equal(60, rate.Count);
        Assert.All(rate.Where(p => p.X <= 40), p => Assert.Equal(0, p.Y));
        Assert.All(rate.Where(p => p.X > 40), p => Assert.Equal(3, p.Y));
    }

    [Fact]
    public void A_chart_without_data_says_so_instead_of_failing()
    {
        var empty = new EndpointPlotData("w", "e");
        using var plot = Charts.LatencyCdf(empty);
        var note = Assert.Single(plot.GetPlottables().OfType<Annotation>());
        Assert.Equal("no finished pushes", note.Text);
    }

    [Fact]
    public void Metrics_of_other_names_or_without_a_component_are_ignored()
    {
        var data = new RunPlotData();
        data.OnSample(new Core.Records.MetricSample(default, Core.Records.MetricNames.WriteRetries, "component_id=\"w1\"", 1));
        data.OnSample(new Core.Records.MetricSample(default, Core.Records.MetricNames.AcceptBacklog, "", 1));
        Assert.Empty(data.Receivers);
    }
}
