using PipelineSim.Core.Server;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Tests.Server;

public class HungUpClientRaceTests
{
    private static readonly Instant Started = Instant.FromSeconds(42);
    private static readonly HungUpClientRace Even = new(0.5, TimeSpan.FromMicroseconds(100));

    /// <summary>Draw against the chance: forwarded strictly below it, at every delay before the forward.</summary>
    [Theory]
    [InlineData(0L, 0.0, true)]          // forwards at once, lowest draw
    [InlineData(0L, 0.4999999, true)]    // just under the base chance
    [InlineData(0L, 0.5, false)]         // exactly at it: the background read won
    [InlineData(0L, 0.9999999, false)]
    [InlineData(1000L, 0.18, true)]      // 100 µs of work: 0.5·e^-1 ≈ 0.1839
    [InlineData(1000L, 0.19, false)]
    [InlineData(10_000L, 0.0001, false)] // 1 ms of decoding: 0.5·e^-10 ≈ 0.0000227
    [InlineData(10_000L, 0.00002, true)]
    public void A_draw_below_the_chance_forwards(long untilForwardTicks, double uniform, bool forwards) =>
        Assert.Equal(forwards, Even.Forwards(Started, Started + TimeSpan.FromTicks(untilForwardTicks), uniform));

    [Theory]
    [InlineData(0L, 0.5)]
    [InlineData(1000L, 0.18393972058572117)]
    [InlineData(10_000_000L, 0.0)] // a second of handler_time: canceled for certain
    public void The_chance_falls_with_the_work_before_the_forward(long untilForwardTicks, double chance) =>
        Assert.Equal(chance, Even.ForwardChance(Started, Started + TimeSpan.FromTicks(untilForwardTicks)), 12);

    [Fact]
    public void The_go_default_is_the_burst_measurement() =>
        Assert.Equal(343.0 / 4097.0, HungUpClientRace.Go.ForwardChance(Started, Started), 12);

    [Fact]
    public void Probability_zero_never_forwards_and_one_always_does_at_once()
    {
        Assert.False(new HungUpClientRace(0, TimeSpan.FromMicroseconds(100)).Forwards(Started, Started, 0.0));
        Assert.True(new HungUpClientRace(1, TimeSpan.FromMicroseconds(100)).Forwards(Started, Started, 0.9999999));
    }

    [Theory]
    [InlineData(-0.01, 100L)]
    [InlineData(1.01, 100L)]
    [InlineData(double.NaN, 100L)]
    [InlineData(0.5, 0L)]
    [InlineData(0.5, -1L)]
    public void Nonsense_parameters_are_refused(double probability, long noticeDelayTicks) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new HungUpClientRace(probability, TimeSpan.FromTicks(noticeDelayTicks)));

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    public void A_draw_outside_the_unit_interval_is_refused(double uniform) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Even.Forwards(Started, Started, uniform));

    [Fact]
    public void A_forward_before_the_handler_started_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Even.ForwardChance(Started, Started - TimeSpan.FromTicks(1)));

    [Fact]
    public void The_tally_counts_every_request_read_and_the_forwarded_ones()
    {
        var requests = new HungUpClientRequests(Even);
        double[] draws = [0.1, 0.7, 0.49, 0.5, 0.99];
        var answers = draws.Select(u => requests.OnHandlerStarted(Started, Started, u)).ToArray();
        Assert.Equal([true, false, true, false, false], answers);
        Assert.Equal(5, requests.Read);
        Assert.Equal(2, requests.Forwarded);
    }

    [Fact]
    public void A_request_that_ended_before_it_could_forward_is_counted_as_read_and_not_forwarded()
    {
        var requests = new HungUpClientRequests(new HungUpClientRace(1, TimeSpan.FromMicroseconds(100)));
        requests.OnEndedBeforeForward();
        Assert.True(requests.OnHandlerStarted(Started, Started, 0.5));
        Assert.Equal((2L, 1L), (requests.Read, requests.Forwarded));
    }

    /// <summary>Over a seeded stream the forwarded share converges on the chance (binomial, 4σ bound).</summary>
    [Fact]
    public void Over_many_draws_the_forwarded_share_matches_the_calibration()
    {
        var requests = new HungUpClientRequests(HungUpClientRace.Go);
        var random = new Random(7);
        const int n = 40_000;
        for (int i = 0; i < n; i++) requests.OnHandlerStarted(Started, Started, random.NextDouble());
        double p = HungUpClientRace.Go.EscapeProbability;
        double sigma = Math.Sqrt(p * (1 - p) / n);
        Assert.InRange(requests.Forwarded / (double)n, p - 4 * sigma, p + 4 * sigma);
    }
}
