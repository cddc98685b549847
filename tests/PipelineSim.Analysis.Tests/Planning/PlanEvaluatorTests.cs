using PipelineSim.Analysis.Planning;
using PipelineSim.Analysis.Statistics;

namespace PipelineSim.Analysis.Tests.Planning;

/// <summary>The recommendation logic on synthetic results: no simulation, every outcome chosen by the test.</summary>
public class PlanEvaluatorTests
{
    [Fact]
    public void Recommends_the_smallest_sufficient_limit_times_the_headroom_rounded_up()
    {
        var sweep = PlanSweeps.Synthetic([50, 100, 150, 200]);
        // Below 150 a third of the pushes fail; from 150 on every push is delivered.
        var plan = PlanEvaluator.Evaluate(sweep, PlanSweeps.Facts, PlanSweeps.Runs(sweep, (p, _) => p.ConnLimit >= 150 ? 10_000 : 6_667));
        var group = Assert.Single(plan.Groups);
        Assert.Equal(150, group.Sufficient!.Point.ConnLimit);
        Assert.Equal(230, group.Recommended); // 150 x 1.5 = 225, two significant digits up
        Assert.True(plan.HasRecommendation);
        Assert.Equal([false, false, true, true], plan.Points.Select(p => p.MeetsSlos));
    }

    [Fact]
    public void A_point_that_meets_the_slo_below_one_that_does_not_is_not_recommended()
    {
        var sweep = PlanSweeps.Synthetic([50, 100, 150, 200]);
        var plan = PlanEvaluator.Evaluate(sweep, PlanSweeps.Facts, PlanSweeps.Runs(sweep, (p, _) => p.ConnLimit == 100 ? 8_000 : 10_000));
        var group = Assert.Single(plan.Groups);
        Assert.Equal(150, group.Sufficient!.Point.ConnLimit);
        Assert.Contains(group.Notes, n => n.Contains("conn_limit 50 met the SLO but the larger 100 did not"));
    }

    [Fact]
    public void No_recommendation_when_no_point_meets_the_slo()
    {
        var sweep = PlanSweeps.Synthetic([50, 100]);
        var plan = PlanEvaluator.Evaluate(sweep, PlanSweeps.Facts, PlanSweeps.Runs(sweep, (_, _) => 9_000));
        var group = Assert.Single(plan.Groups);
        Assert.Null(group.Recommended);
        Assert.Null(group.Footprint);
        Assert.False(plan.HasRecommendation);
        Assert.Contains(group.Notes, n => n.Contains("no conn_limit in the sweep meets every SLO (largest tried: 100)"));
    }

    [Fact]
    public void The_delivered_ratio_pools_pushes_over_replications_in_a_wilson_interval()
    {
        var sweep = PlanSweeps.Synthetic([100], replications: 3);
        var plan = PlanEvaluator.Evaluate(sweep, PlanSweeps.Facts, PlanSweeps.Runs(sweep, (_, r) => 9_990 + r));
        var estimate = Assert.Single(plan.Points[0].Slos);
        Assert.Equal(Estimates.Proportion(9_990 + 9_991 + 9_992, 30_000), estimate.Interval);
    }

    [Fact]
    public void Replications_that_disagree_keep_a_point_from_meeting_the_delivered_slo()
    {
        var sweep = PlanSweeps.Synthetic([100], replications: 3);
        long[] delivered = [9_850, 9_990, 10_000];
        var runs = sweep.Cells().Select(c => PlanSweeps.Run(sweep, c, 10_000, delivered[c.Replication])).ToList();
        var estimate = PlanEvaluator.Evaluate(sweep, PlanSweeps.Facts, runs).Points[0].Slos[0];
        Assert.True(Estimates.Proportion(29_840, 30_000).IsAtLeast(0.99)); // pooled pushes alone would pass
        Assert.False(estimate.Met);
    }

    [Fact]
    public void A_latency_quantile_is_a_student_t_mean_over_replications()
    {
        var sweep = PlanSweeps.Synthetic([100], replications: 3, slos: ["p99<2s"]);
        double[] p99 = [1.2, 1.5, 1.8];
        var runs = sweep.Cells().Select(c => PlanSweeps.Run(sweep, c, 1000, 1000, p99[c.Replication])).ToList();
        var estimate = PlanEvaluator.Evaluate(sweep, PlanSweeps.Facts, runs).Points[0].Slos[0];
        Assert.Equal(Estimates.Mean(p99), estimate.Interval);
        // t(0.975, 2) = 4.30: 1.5 ± 4.30 · 0.3/√3 reaches 2.245 s, above the 2 s ceiling.
        Assert.False(estimate.Met);
    }

    [Fact]
    public void A_p95_slo_reads_each_run_s_p95()
    {
        var sweep = PlanSweeps.Synthetic([100], replications: 3, slos: ["p95<2s"]);
        double[] p95 = [1.0, 1.1, 1.2];
        var runs = sweep.Cells().Select(c => PlanSweeps.Run(sweep, c, 1000, 1000) with { LatencyP95 = p95[c.Replication] }).ToList();
        var estimate = PlanEvaluator.Evaluate(sweep, PlanSweeps.Facts, runs).Points[0].Slos[0];
        Assert.Equal(Estimates.Mean(p95), estimate.Interval);
        Assert.True(estimate.Met); // 1.1 ± 4.30 · 0.1/√3 stays under 1.35 s
    }

    [Fact]
    public void A_claim_is_judged_on_its_sides_difference_over_replications_and_says_how_many_runs_it_held_in()
    {
        // Two claims beside a delivered SLO: each run's sides sit in the claims' order, whatever the other SLOs are.
        var sweep = PlanSweeps.Synthetic([100, 200], replications: 3, slos: ["w2.pushes.failed == 0", "delivered>=99%", "w1.retries < 5"]);
        double[] failedAt100 = [0, 2, 0];
        var runs = sweep.Cells().Select(c => PlanSweeps.Run(sweep, c, 10_000, 10_000) with
        {
            Claims = new ClaimValues([
                new ClaimSides(c.Point.ConnLimit == 100 ? failedAt100[c.Replication] : 0, 0),
                new ClaimSides(c.Replication, 5),
            ]),
        }).ToList();
        var plan = PlanEvaluator.Evaluate(sweep, PlanSweeps.Facts, runs);

        var at100 = plan.Points[0].Slos[0];
        Assert.Equal(Estimates.Mean([0, 2, 0]), at100.Interval);
        Assert.Equal("held in 2 of 3 runs", at100.Note);
        Assert.False(at100.Met); // two of three runs held, but the interval of the failures reaches above 0

        var at200 = plan.Points[1].Slos[0];
        Assert.Equal(new ConfidenceInterval(0, 0, 0, 0.95), at200.Interval);
        Assert.Equal("held in 3 of 3 runs", at200.Note);
        Assert.True(at200.Met);

        // retries 0, 1, 2 against 5: a difference of -4 ± 4.30 · 1/√3 stays below 0.
        var retries = plan.Points[1].Slos[2];
        Assert.Equal(Estimates.Mean([-5, -4, -3]), retries.Interval);
        Assert.True(retries.Met);
        Assert.Equal(200, plan.Groups[0].Sufficient!.Point.ConnLimit);
        Assert.Contains("0 [0, 0], held in 3 of 3 runs", PlanText.Render(plan));
    }

    [Fact]
    public void A_claim_a_run_could_not_compute_is_not_met_and_says_so()
    {
        var sweep = PlanSweeps.Synthetic([100], replications: 2, slos: ["w2.pushes.failed == 0"]);
        var runs = sweep.Cells().Select(c => PlanSweeps.Run(sweep, c, 10_000, 10_000) with
        {
            Claims = new ClaimValues([c.Replication == 0 ? new ClaimSides(double.NaN, double.NaN) : new ClaimSides(0, 0)]),
        }).ToList();
        var estimate = PlanEvaluator.Evaluate(sweep, PlanSweeps.Facts, runs).Points[0].Slos[0];
        Assert.False(estimate.Met);
        Assert.Null(estimate.Interval);
        Assert.Equal("1 of 2 runs could not compute it", estimate.Note);
    }

    [Fact]
    public void Says_when_the_runs_are_too_short_for_the_interval_to_clear_the_slo()
    {
        // 2 x 1000 pushes, all delivered: Wilson's lower bound is 99.81%, short of 99.9%.
        var sweep = PlanSweeps.Synthetic([100, 200], slos: ["delivered>=99.9%"]);
        var runs = sweep.Cells().Select(c => PlanSweeps.Run(sweep, c, 1000, 1000)).ToList();
        var group = PlanEvaluator.Evaluate(sweep, PlanSweeps.Facts, runs).Groups[0];
        Assert.Null(group.Recommended);
        Assert.Contains(group.Notes, n => n.Contains("even 100% delivered has a 95% lower bound of 99.808%"));
    }

    [Fact]
    public void Notes_that_the_least_sufficient_limit_may_lie_below_the_sweep()
    {
        var sweep = PlanSweeps.Synthetic([200, 300]);
        var group = PlanEvaluator.Evaluate(sweep, PlanSweeps.Facts, PlanSweeps.Runs(sweep, (_, _) => 10_000)).Groups[0];
        Assert.Equal(300, group.Recommended);
        Assert.Contains(group.Notes, n => n.Contains("the smallest conn_limit tried (200) already meets the SLO"));
    }

    [Fact]
    public void Under_a_ceiling_advises_replicas_that_share_the_recommended_connections()
    {
        var sweep = PlanSweeps.Synthetic([1000, 2000, 3000], ceiling: 1000);
        var plan = PlanEvaluator.Evaluate(sweep, PlanSweeps.Facts, PlanSweeps.Runs(sweep, (p, _) => p.ConnLimit >= 2000 ? 10_000 : 5_000));
        Assert.Equal(3000, plan.Groups[0].Recommended);
        var advice = Assert.Single(plan.ReplicaAdvice);
        Assert.Equal(3, advice.Replicas);
        Assert.Equal(1000, advice.PerInstanceLimit);
        Assert.False(advice.Simulated);
        Assert.Contains("--replicas 3", advice.Note);
    }

    [Fact]
    public void With_swept_replicas_advises_the_fewest_whose_limit_fits_under_the_ceiling()
    {
        var sweep = PlanSweeps.Synthetic([50, 100, 150], replicas: [1, 2, 3], ceiling: 100);
        // Sufficient when replicas x conn_limit covers 150 connected clients.
        var plan = PlanEvaluator.Evaluate(sweep, PlanSweeps.Facts, PlanSweeps.Runs(sweep, (p, _) => p.Replicas * p.ConnLimit >= 150 ? 10_000 : 5_000));
        Assert.Equal([230, 150, 75], plan.Groups.Select(g => g.Recommended!.Value));
        var advice = Assert.Single(plan.ReplicaAdvice);
        Assert.Equal((3, 75, true), (advice.Replicas, advice.PerInstanceLimit, advice.Simulated));
    }

    [Fact]
    public void Keep_alive_clients_make_the_analytic_estimate_the_connected_clients_and_say_so()
    {
        var sweep = PlanSweeps.Synthetic([50, 100, 150, 200]);
        var group = PlanEvaluator.Evaluate(sweep, PlanSweeps.Facts, PlanSweeps.Runs(sweep, (p, _) => p.ConnLimit >= 150 ? 10_000 : 6_667)).Groups[0];
        Assert.Equal(ConnectionRegime.KeepAliveHeld, group.Analytic!.Regime);
        Assert.Equal(150, group.Analytic.Slots);
        Assert.Contains(group.Comparison, c => c.Contains("the limit scales with connected clients, not with load"));
        Assert.Contains(group.Comparison, c => c.Contains("simulation and analysis agree"));
    }

    [Fact]
    public void Refuses_results_that_do_not_cover_the_sweep()
    {
        var sweep = PlanSweeps.Synthetic([50, 100]);
        var runs = PlanSweeps.Runs(sweep, (_, _) => 10_000).Skip(1).ToList();
        var error = Assert.Throws<PlanException>(() => PlanEvaluator.Evaluate(sweep, PlanSweeps.Facts, runs));
        Assert.Contains("cover 3 of the sweep's 4 runs (first missing: cell 0)", error.Message);
    }

    [Theory]
    [InlineData(225, 230)]
    [InlineData(24_576, 25_000)]
    [InlineData(18_000, 18_000)]
    [InlineData(99.2, 100)]
    [InlineData(7.5, 8)]
    [InlineData(1, 1)]
    public void Limits_round_up_to_two_significant_digits(double value, int expected) =>
        Assert.Equal(expected, LimitRounding.UpToTwoSignificantDigits(value));
}
