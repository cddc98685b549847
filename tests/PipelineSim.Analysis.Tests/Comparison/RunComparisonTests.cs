using PipelineSim.Analysis.Comparison;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Tests.Comparison;

public class RunComparisonTests
{
    private static readonly ComparisonOptions Options = new()
    {
        Duration = TimeSpan.FromSeconds(100),
        Edge = TimeSpan.FromSeconds(5),
        Tolerance = new LatencyTolerance(TimeSpan.FromSeconds(1), 0.1),
    };

    private static PushOutcome Push(string source, double start, double latency, PushResult result = PushResult.Delivered,
        ConnectCode code = ConnectCode.Ok, int attempts = 1, string writer = "w1", string endpoint = "http://r") =>
        new(writer, endpoint, source, Instant.FromTimeSpan(TimeSpan.FromSeconds(start)), result, code, attempts, TimeSpan.FromSeconds(latency));

    private static List<PushOutcome> Story() =>
    [
        Push("a-0", 0, 0.1),
        Push("a-0", 15, 11, attempts: 2),
        Push("a-1", 5, 0.2),
        Push("a-1", 20, 10, PushResult.Failed, ConnectCode.DeadlineExceeded),
    ];

    [Fact]
    public void The_same_pushes_agree_and_are_counted_by_code_attempts_and_class()
    {
        var comparison = RunComparison.Compare(Story(), Story(), Options);

        Assert.True(comparison.Agrees);
        Assert.Empty(comparison.Disagreements());
        var endpoint = Assert.Single(comparison.Endpoints);
        Assert.Equal(4, endpoint.Simulated.Compared);
        Assert.Equal(new Dictionary<string, long> { ["delivered ok"] = 3, ["failed deadline_exceeded"] = 1 }, endpoint.Live.ByCode);
        Assert.Equal(new Dictionary<int, long> { [1] = 3, [2] = 1 }, endpoint.Live.ByAttempts);
        Assert.Equal(["p50", "p90", "p99", "max"], endpoint.Quantiles.Select(q => q.Name));
        Assert.Equal(TimeSpan.FromSeconds(11), endpoint.Quantiles[^1].Live);
    }

    /// <summary>A fleet of <paramref name="agents"/> agents, one push each; the first <paramref name="failed"/> fail with deadline_exceeded.</summary>
    private static List<PushOutcome> Fleet(int agents, int failed, int attempts = 1) =>
        [.. Enumerable.Range(0, agents).Select(i => i < failed
            ? Push($"a-{i}", 1, 10, PushResult.Failed, ConnectCode.DeadlineExceeded, attempts)
            : Push($"a-{i}", 1, 0.5, attempts: attempts))];

    [Fact]
    public void Outcome_counts_that_differ_by_chance_agree_and_the_test_says_so()
    {
        // The timeout chain of issue 9: 10 against 12 deadline_exceeded of 3,209 pushes is the scenario's randomness.
        var comparison = RunComparison.Compare(Fleet(3209, 10), Fleet(3209, 12), Options);

        Assert.True(comparison.Agrees, string.Join("\n", comparison.Disagreements()));
        var failed = comparison.Endpoints[0].Outcomes.Single(o => o.Outcome == "failed deadline_exceeded after 1");
        Assert.Equal((10, 3209, 12, 3209), (failed.Simulated, failed.SimulatedOf, failed.Live, failed.LiveOf));
        Assert.InRange(failed.PValue, 0.5, 1);
        Assert.Equal(0.01 / 2, failed.Threshold); // the level split over the endpoint's two classes
        Assert.Equal(2, comparison.Endpoints[0].OutcomeDifferences.Count());
    }

    [Fact]
    public void Outcome_counts_further_apart_than_chance_allows_differ()
    {
        // Four times the failures: no single proportion explains both.
        var comparison = RunComparison.Compare(Fleet(3209, 10), Fleet(3209, 40), Options);

        Assert.False(comparison.Agrees);
        var failed = comparison.Endpoints[0].Outcomes.Single(o => o.Outcome == "failed deadline_exceeded after 1");
        Assert.False(failed.Agrees);
        Assert.True(failed.PValue < 1e-4, $"p = {failed.PValue}");
        Assert.Contains(comparison.Disagreements(), line =>
            line.StartsWith("w1 → http://r: failed deadline_exceeded after 1: simulated 10 of 3,209, live 40 of 3,209 (p = ", StringComparison.Ordinal)
            && line.EndsWith(", below 0.005)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_rule_that_changes_every_push_is_caught_even_in_a_short_run()
    {
        // Twelve pushes, all retried once in one run and never in the other (retries disabled).
        var comparison = RunComparison.Compare(Fleet(12, 0, attempts: 2), Fleet(12, 0, attempts: 1), Options);

        Assert.False(comparison.Agrees);
        Assert.All(comparison.Endpoints[0].Outcomes, o => Assert.False(o.Agrees));
    }

    [Fact]
    public void One_push_that_ended_another_way_in_a_handful_is_within_chance()
    {
        var live = Story();
        live[1] = live[1] with { Attempts = 3 };

        var endpoint = Assert.Single(RunComparison.Compare(Story(), live, Options).Endpoints);

        Assert.True(endpoint.OutcomesAgree);
        Assert.Equal(["delivered ok after 2", "delivered ok after 3"], endpoint.OutcomeDifferences.Select(o => o.Outcome));
    }

    [Fact]
    public void Agents_that_swap_places_leave_the_multiset_equal()
    {
        // Which of two agents got the last slot is a race: their outcomes trade places, the counts stay.
        var live = Story();
        (live[0], live[2]) = (live[0] with { Latency = TimeSpan.FromSeconds(0.2) }, live[2] with { Latency = TimeSpan.FromSeconds(0.1) });
        live[1] = live[1] with { Result = PushResult.Failed, Code = ConnectCode.DeadlineExceeded, Attempts = 1, Latency = TimeSpan.FromSeconds(10) };
        live[3] = live[3] with { Result = PushResult.Delivered, Code = ConnectCode.Ok, Attempts = 2, Latency = TimeSpan.FromSeconds(11) };

        var comparison = RunComparison.Compare(Story(), live, Options);

        Assert.True(comparison.Agrees, string.Join("\n", comparison.Disagreements()));
        Assert.Equal(2, comparison.Endpoints[0].PairsDiffering);
    }

    [Fact]
    public void A_push_in_flight_at_the_end_of_either_run_leaves_its_pair_out()
    {
        var simulated = Story().Append(Push("a-0", 96, 4, PushResult.InFlight)).ToList();
        var live = Story().Append(Push("a-0", 96, 0.1)).ToList();

        var endpoint = Assert.Single(RunComparison.Compare(simulated, live, Options).Endpoints);

        Assert.True(endpoint.Agrees);
        Assert.Equal((1, 1, 4), (endpoint.Simulated.LeftOut, endpoint.Live.LeftOut, endpoint.Live.Compared));
    }

    [Theory]
    [InlineData(96.0, 0)]  // inside the edge: a stall may have kept the other run from starting it
    [InlineData(50.0, 1)]  // earlier: the other run should have made it too, so it is judged
    public void A_push_only_one_run_made_is_left_out_only_at_the_very_end(double start, long unmatched)
    {
        var live = Story().Append(Push("a-1", start, 0.1)).ToList();

        var endpoint = RunComparison.Compare(Story(), live, Options).Endpoints[0];

        Assert.Equal(unmatched, endpoint.Live.Unmatched);
        Assert.Equal(unmatched, endpoint.Outcomes.Where(o => o.Outcome == OutcomeShare.MadeByOneRunOnly).Sum(o => o.Live));
        Assert.True(endpoint.OutcomesAgree); // one extra push of five is within chance
    }

    [Fact]
    public void Many_pushes_only_one_run_made_differ()
    {
        var simulated = Fleet(40, 0);
        var live = simulated.Concat(simulated.Select(p => p with { Start = Instant.FromTimeSpan(TimeSpan.FromSeconds(30)) })).ToList();

        var comparison = RunComparison.Compare(simulated, live, Options);

        Assert.False(comparison.Agrees);
        var alone = comparison.Endpoints[0].Outcomes.Single(o => o.Outcome == OutcomeShare.MadeByOneRunOnly);
        Assert.Equal((0, 40, 40, 80), (alone.Simulated, alone.SimulatedOf, alone.Live, alone.LiveOf));
    }

    [Theory]
    [InlineData(11.9, true)]
    [InlineData(12.2, false)]
    public void Latency_quantiles_agree_within_the_absolute_plus_relative_margin(double slowLatency, bool agrees)
    {
        // 4,000 pushes, the slowest 400 at 10 s: p99 is 10 s on both sides' intervals, and may be off by 1 s + 10 % = 2 s.
        var live = Fleet(4000, 400).Select(p => p.Result == PushResult.Failed ? p with { Latency = TimeSpan.FromSeconds(slowLatency) } : p).ToList();

        var comparison = RunComparison.Compare(Fleet(4000, 400), live, Options);

        Assert.Equal(agrees, comparison.Agrees);
        var p99 = comparison.Endpoints[0].Quantiles.Single(q => q.Name == "p99");
        Assert.Equal((TimeSpan.FromSeconds(2), agrees), (p99.Margin, p99.Agrees));
        if (!agrees)
            Assert.Contains("w1 → http://r: latency p99: simulated 10.000 s [10.000 s, 10.000 s], live 12.200 s [12.200 s, 12.200 s], more than 2.000 s apart",
                comparison.Disagreements());
    }

    [Fact]
    public void A_quantile_the_samples_do_not_pin_down_is_not_held_against_them()
    {
        // The maximum of one run is no estimate of the other's: only a live maximum below the simulated one is a difference.
        var live = Story();
        live[1] = live[1] with { Latency = TimeSpan.FromSeconds(30) };

        var comparison = RunComparison.Compare(Story(), live, Options);

        var max = comparison.Endpoints[0].Quantiles.Single(q => q.Name == "max");
        Assert.Equal((TimeSpan.FromSeconds(11), TimeSpan.MaxValue), max.SimulatedRange);
        Assert.True(max.Agrees);
    }

    [Fact]
    public void An_endpoint_only_one_run_pushed_to_is_a_disagreement()
    {
        var live = Story().Append(Push("a-0", 1, 0.1, writer: "w2", endpoint: "http://pyroscope")).ToList();

        var comparison = RunComparison.Compare(Story(), live, Options);

        Assert.False(comparison.Agrees);
        Assert.Equal([("w1", "http://r"), ("w2", "http://pyroscope")], comparison.Endpoints.Select(e => (e.Writer, e.Endpoint)));
        Assert.Empty(comparison.Endpoints[1].Quantiles);
        Assert.True(comparison.Endpoints[1].OneSided);
        Assert.Contains("w2 → http://pyroscope: only the live run pushed here (1 pushes)", comparison.Disagreements());
    }

    [Fact]
    public void Options_for_a_live_run_turn_its_timer_lateness_and_a_real_stall_into_scenario_time()
    {
        var options = ComparisonOptions.ForLiveRun(TimeSpan.FromMinutes(2), timeScale: 0.1, timerLateness: TimeSpan.FromMilliseconds(70));

        Assert.Equal(TimeSpan.FromSeconds(5), options.Edge);
        Assert.Equal(new LatencyTolerance(TimeSpan.FromSeconds(2.1), 0.1), options.Tolerance); // three late timers per push
        Assert.Equal(0.01, options.Level);
        Assert.Equal("outcome shares by a two-proportion test (Fisher's exact) at level 1% per endpoint, split over its outcome classes; " +
            "latency quantiles within 10% + 2.100 s beyond what each sample pins down (99.75% order-statistic intervals)", options.Describe());
        // Punctual timers still leave the floor: a push's loopback hops cost real time too.
        Assert.Equal(ComparisonOptions.MinimumLateness * 3 / 0.1,
            ComparisonOptions.ForLiveRun(TimeSpan.FromMinutes(2), 0.1, TimeSpan.FromMilliseconds(1)).Tolerance.Absolute);
        Assert.Equal(TimeSpan.FromSeconds(2), ComparisonOptions.ForLiveRun(TimeSpan.FromMinutes(2), 0.05, TimeSpan.Zero, TimeSpan.FromMilliseconds(100)).Edge);
        Assert.Throws<ArgumentOutOfRangeException>(() => ComparisonOptions.ForLiveRun(TimeSpan.FromMinutes(2), 0, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => ComparisonOptions.ForLiveRun(TimeSpan.FromMinutes(2), 0.1, TimeSpan.Zero, level: 1));
    }

    [Fact]
    public void Pushes_are_kept_from_the_record_stream()
    {
        var sink = new PushOutcomes();
        sink.OnPush(new PushRecord
        {
            PushId = 1, Source = "a-0", Writer = "w1", Endpoint = "http://r", Start = new Instant(10), End = new Instant(30),
            Attempts = 2, Result = PushResult.Failed, Code = ConnectCode.Unavailable,
        });

        Assert.Equal([new PushOutcome("w1", "http://r", "a-0", new Instant(10), PushResult.Failed, ConnectCode.Unavailable, 2, new TimeSpan(20))],
            sink.Pushes);
    }
}
