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

    [Fact]
    public void A_push_that_ended_another_way_is_a_difference_in_its_outcome_class()
    {
        var live = Story();
        live[1] = live[1] with { Attempts = 3 };

        var comparison = RunComparison.Compare(Story(), live, Options);

        Assert.False(comparison.Agrees);
        var endpoint = Assert.Single(comparison.Endpoints);
        Assert.Equal(
            [new OutcomeDifference(new OutcomeClass(PushResult.Delivered, ConnectCode.Ok, 2), 1, 0),
             new OutcomeDifference(new OutcomeClass(PushResult.Delivered, ConnectCode.Ok, 3), 0, 1)],
            endpoint.OutcomeDifferences);
        Assert.Contains("w1 → http://r: delivered ok after 3: simulated 0, live 1", comparison.Disagreements());
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
    [InlineData(96.0, true)]   // inside the edge: a stall may have kept the other run from starting it
    [InlineData(50.0, false)]  // earlier: the other run should have made it too
    public void A_push_only_one_run_made_is_left_out_only_at_the_very_end(double start, bool agrees)
    {
        var live = Story().Append(Push("a-1", start, 0.1)).ToList();

        var comparison = RunComparison.Compare(Story(), live, Options);

        Assert.Equal(agrees, comparison.Agrees);
        Assert.Equal(agrees ? 0 : 1, comparison.Endpoints[0].Live.Unmatched);
    }

    [Fact]
    public void Latency_quantiles_agree_within_the_absolute_plus_relative_margin()
    {
        // The 11 s push may be off by 1 s + 10 % = 2.1 s.
        var near = Story();
        near[1] = near[1] with { Latency = TimeSpan.FromSeconds(13) };
        var far = Story();
        far[1] = far[1] with { Latency = TimeSpan.FromSeconds(13.2) };

        Assert.True(RunComparison.Compare(Story(), near, Options).Agrees);
        var comparison = RunComparison.Compare(Story(), far, Options);
        Assert.False(comparison.Agrees);
        var max = comparison.Endpoints[0].Quantiles.Single(q => q.Name == "max");
        Assert.Equal((TimeSpan.FromSeconds(2.1), false), (max.Margin, max.Agrees));
        Assert.Contains("w1 → http://r: latency max: simulated 11.000 s, live 13.200 s, more than 2.100 s apart", comparison.Disagreements());
    }

    [Fact]
    public void An_endpoint_only_one_run_pushed_to_is_a_disagreement()
    {
        var live = Story().Append(Push("a-0", 1, 0.1, writer: "w2", endpoint: "http://pyroscope")).ToList();

        var comparison = RunComparison.Compare(Story(), live, Options);

        Assert.False(comparison.Agrees);
        Assert.Equal([("w1", "http://r"), ("w2", "http://pyroscope")], comparison.Endpoints.Select(e => (e.Writer, e.Endpoint)));
        Assert.Empty(comparison.Endpoints[1].Quantiles);
    }

    [Fact]
    public void Options_for_a_live_run_turn_a_real_stall_into_scenario_time()
    {
        var options = ComparisonOptions.ForLiveRun(TimeSpan.FromMinutes(2), timeScale: 0.1);

        Assert.Equal(TimeSpan.FromSeconds(5), options.Edge);
        Assert.Equal(new LatencyTolerance(TimeSpan.FromSeconds(5), 0.1), options.Tolerance);
        Assert.Equal(TimeSpan.FromSeconds(2), ComparisonOptions.ForLiveRun(TimeSpan.FromMinutes(2), 0.05, TimeSpan.FromMilliseconds(100)).Edge);
        Assert.Throws<ArgumentOutOfRangeException>(() => ComparisonOptions.ForLiveRun(TimeSpan.FromMinutes(2), 0));
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
