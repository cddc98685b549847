using PipelineSim.Analysis.Planning;
using PipelineSim.Analysis.Plots;
using PipelineSim.Analysis.Tests.Planning;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;
using PipelineSim.Spec;
using ScottPlot;
using ScottPlot.Plottables;

namespace PipelineSim.Analysis.Tests.Plots;

/// <summary>
/// What an incident review takes from the plots: latency over time as the Grafana panel shows it, the faults marked
/// on every time plot, the scenario and seed in the titles, time axes over the whole run in a readable unit, no
/// plots of flat zero, and a plan plot that marks the recommendation and draws only what was measured.
/// </summary>
public class IncidentPlotsTests
{
    private const string Endpoint = "component_id=\"w1\",endpoint=\"http://r:8080\"";

    /// <summary>prometheus.DefBuckets and +Inf, cumulative counts in that order.</summary>
    private static readonly string[] Les = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"];

    private static void AddHistogram(RunPlotData data, double seconds, long[] cumulative, string type = "push_endpoint")
    {
        for (int i = 0; i < Les.Length; i++)
        {
            data.OnSample(new MetricSample(Instant.FromSeconds(seconds), MetricNames.WriteLatency + "_bucket",
                $"{Endpoint},le=\"{Les[i]}\",type=\"{type}\"", cumulative[i]));
        }
    }

    private static RunPlotData LatencyRun()
    {
        var data = new RunPlotData();
        AddHistogram(data, 0, new long[12]);
        // 0–15 s: 10 pushes in (0.5 s, 1 s], 10 in (1 s, 2.5 s].
        AddHistogram(data, 15, [0, 0, 0, 0, 0, 0, 0, 10, 20, 20, 20, 20]);
        AddHistogram(data, 30, [0, 0, 0, 0, 0, 0, 0, 10, 20, 20, 20, 20]); // nothing finished: a gap
        // 30–45 s: 5 pushes above the highest finite bucket.
        AddHistogram(data, 45, [0, 0, 0, 0, 0, 0, 0, 10, 20, 20, 20, 25]);
        AddHistogram(data, 45, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 999], type: "push_downstream"); // another histogram
        return data;
    }

    [Theory]
    [InlineData(0.5, 1.0)]   // rank 10 ends the (0.5, 1] bucket
    [InlineData(0.9, 2.2)]   // rank 18: 1 + 1.5 · 8/10
    [InlineData(0.25, 0.75)] // rank 5: halfway through (0.5, 1]
    public void Quantile_per_step_interpolates_inside_the_bucket_as_histogram_quantile_does(double q, double expected)
    {
        var points = LatencyRun().Endpoints.Single().WriteLatency.Quantile(q);

        Assert.Equal([15.0, 45.0], points.Select(p => p.Seconds)); // no point for the step in which nothing finished
        Assert.Equal(expected, points[0].Value, 9);
        Assert.Equal(10, points[1].Value); // every push above 10 s: the highest finite bound, as Prometheus answers
    }

    [Fact]
    public void Latency_over_time_draws_p50_p90_p99_with_a_gap_where_no_push_finished()
    {
        var data = LatencyRun();
        var frame = RunFrame.For(data, new PlotContext { ScenarioName = "chain", Seed = 7, Duration = TimeSpan.FromMinutes(1) });
        using var plot = Charts.LatencyOverTime(data.Endpoints.Single(), frame);

        var lines = plot.GetPlottables().OfType<Scatter>().ToList();
        Assert.Equal(["p50", "p90", "p99"], lines.Select(l => l.LegendText).Where(t => t.Length > 0));
        Assert.Equal(6, lines.Count); // each quantile: the 15 s point and the 45 s point, not joined across the gap
        Assert.Equal("chain, seed 7: w1 → http://r:8080: push latency over time", plot.Axes.Title.Label.Text);
        Assert.Contains(plot.GetPlottables().OfType<Annotation>(), a => a.Text.Contains("above 10 s show as 10 s"));
    }

    [Theory]
    [InlineData(90, "s", 90)]
    [InlineData(600, "s", 600)]
    [InlineData(1200, "min", 20)]
    [InlineData(4 * 3600, "h", 4)]
    public void Time_axes_span_the_run_in_a_unit_for_its_length(double seconds, string unit, double end)
    {
        var axis = TimeAxis.Spanning(TimeSpan.FromSeconds(seconds));

        Assert.Equal(unit, axis.Unit);
        Assert.Equal(end, axis.X(seconds), 9);
        Assert.Equal($"time since start ({unit})", axis.Label);
    }

    /// <summary>The timeout-chain shape: a 20 min run, one retry at 610 s, idle flows dropped at 10 min.</summary>
    private static (RunPlotData Data, PlotContext Context) OneRetryRun()
    {
        var run = new SyntheticRun();
        for (int k = 0; k < 40; k++) run.AddPush("w1", "http://r:8080", k * 30, 1, PushResult.Delivered);
        run.AddPush("w1", "http://r:8080", 600, 10, PushResult.Delivered, attempts: 2);
        for (int s = 0; s <= 1200; s += 15)
        {
            run.AddSample(s, MetricNames.ReceiveTcpConnections, "r", 3);
            run.AddSample(s, MetricNames.ReceiveTcpConnectionsLimit, "r", 16);
            run.AddSample(s, MetricNames.AcceptBacklog, "r", 0);
            run.AddSample(s, MetricNames.SynDrops, "r", 0);
        }
        var data = new RunPlotData();
        run.Replay(data);
        var context = new PlotContext
        {
            ScenarioName = "timeout-chain",
            Seed = 7,
            Duration = TimeSpan.FromMinutes(20),
            Faults =
            [
                new FaultWindow("drop-idle-flows w2->pyroscope at 10m0s", TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10)),
                new FaultWindow("outage pyroscope 15m0s+1m0s", TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(16)),
            ],
        };
        return (data, context);
    }

    [Fact]
    public void The_retries_plot_spans_the_whole_run_in_minutes_with_its_one_retry_in_place()
    {
        var (data, context) = OneRetryRun();
        using var plot = Charts.RetriesOverTime(data.Endpoints.Single(), RunFrame.For(data, context));

        var limits = plot.Axes.GetLimits();
        Assert.Equal((0, 20), (limits.Left, limits.Right));
        Assert.Equal("time since start (min)", plot.Axes.Bottom.Label.Text);
        var bar = Assert.Single(plot.GetPlottables().OfType<BarPlot>().Single().Bars);
        Assert.InRange(610 / 60.0, bar.Position - bar.Size / 2, bar.Position + bar.Size / 2);
        Assert.Equal(1, bar.Value - bar.ValueBase);
        Assert.StartsWith("timeout-chain, seed 7: ", plot.Axes.Title.Label.Text);
    }

    [Fact]
    public void Every_time_plot_marks_the_faults_and_every_plot_names_scenario_and_seed()
    {
        var (data, context) = OneRetryRun();
        var (plots, _) = RunPlotter.Plan(data, new PlotOptions(), context);

        string[] timePlots = ["_retries", "_outcomes", "_connections"];
        Assert.All(plots, entry =>
        {
            using var plot = entry.Build();
            Assert.StartsWith("timeout-chain, seed 7: ", plot.Axes.Title.Label.Text);
            if (!timePlots.Any(entry.Name.EndsWith)) return;
            var instant = Assert.Single(plot.GetPlottables().OfType<VerticalLine>());
            Assert.Equal((10.0, "fault: drop-idle-flows w2->pyroscope at 10m0s"), (instant.X, instant.LegendText));
            var window = Assert.Single(plot.GetPlottables().OfType<HorizontalSpan>());
            Assert.Equal((15.0, 16.0, "fault: outage pyroscope 15m0s+1m0s"), (window.X1, window.X2, window.LegendText));
            Assert.Equal((0, 20), (plot.Axes.GetLimits().Left, plot.Axes.GetLimits().Right));
        });
        Assert.Equal(timePlots.Length, plots.Count(p => timePlots.Any(p.Name.EndsWith)));
    }

    [Fact]
    public void Series_that_stay_zero_get_a_note_instead_of_a_plot()
    {
        var (data, context) = OneRetryRun();
        var quiet = new RunPlotData();
        var run = new SyntheticRun();
        run.AddPush("w2", "http://pyroscope:4040", 1, 1, PushResult.Delivered);
        run.Replay(quiet);

        var (plots, notes) = RunPlotter.Plan(data, new PlotOptions(), context);
        Assert.DoesNotContain(plots, p => p.Name.EndsWith("_backlog", StringComparison.Ordinal) || p.Name.EndsWith("_syn-drops", StringComparison.Ordinal));
        Assert.Contains("r: the accept backlog stayed empty, so no backlog plot", notes);
        Assert.Contains("r: no SYN drops, so no SYN drop plot", notes);
        Assert.Contains(plots, p => p.Name == "endpoint_w1_http-r-8080_retries");

        var (quietPlots, quietNotes) = RunPlotter.Plan(quiet, new PlotOptions());
        Assert.DoesNotContain(quietPlots, p => p.Name.EndsWith("_retries", StringComparison.Ordinal));
        Assert.Contains("w2 → http://pyroscope:4040: no retries, so no retries plot", quietNotes);
    }

    [Fact]
    public void Fault_windows_come_from_the_scenario_faults()
    {
        var idle = Pipelines.Spec(Pipelines.IdleHold);
        var spec = idle with
        {
            Components =
            [
                .. idle.Components.Select(c => c is BackendSpec backend
                    ? backend with { Outages = [new OutageSpec(TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(1))] }
                    : c),
            ],
            Faults =
            [
                new DropIdleFlowsFault { At = TimeSpan.FromMinutes(10), Link = "w2->pyroscope" },
                new PartitionFault { At = TimeSpan.FromMinutes(2), Link = "w1->r", Duration = TimeSpan.FromSeconds(30) },
                new RandomLinkBreaksFault { Link = "w1->r", RatePerConnectionHour = 1, Start = TimeSpan.FromMinutes(5) },
            ],
        };
        var context = PlotContext.For(spec, seed: 3, duration: TimeSpan.FromMinutes(20));

        Assert.Equal(
            [("partition w1->r 2m0s+30s", 120.0, 150.0), ("random breaks on w1->r", 300.0, 1200.0),
             ("drop-idle-flows w2->pyroscope at 10m0s", 600.0, 600.0), ("outage pyroscope 15m0s+1m0s", 900.0, 960.0)],
            context.Faults.Select(f => (f.Label, f.Start.TotalSeconds, f.End.TotalSeconds)));
        Assert.True(context.Faults[2].IsInstant);
    }

    [Fact]
    public void The_plan_plot_marks_the_recommendation_and_joins_no_points()
    {
        var sweep = PlanSweeps.Synthetic([50, 100, 150, 200]);
        var plan = PlanEvaluator.Evaluate(sweep, PlanSweeps.Facts, PlanSweeps.Runs(sweep, (p, _) => p.ConnLimit >= 150 ? 10_000 : 6_667));

        using var plot = PlanCharts.SloAgainstLimit(plan, 0);

        var markers = plot.GetPlottables().OfType<VerticalLine>().ToDictionary(m => m.LegendText, m => m.X);
        Assert.Equal(230, markers["recommended conn_limit: 230"]);
        Assert.Equal(150, markers["smallest sufficient conn_limit: 150"]);
        var estimates = Assert.Single(plot.GetPlottables().OfType<Scatter>());
        Assert.Equal(0, estimates.LineWidth); // points only: nothing drawn between 100 and 150, which were measured apart
        Assert.Equal([50.0, 100, 150, 200], estimates.Data.GetScatterPoints().Select(p => p.X));
        Assert.Contains("seed", plot.Axes.Title.Label.Text);
    }
}
