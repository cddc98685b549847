using PipelineSim.Spec;

namespace PipelineSim.Scenarios.Tests;

using static ScenarioText;

/// <summary><c>arrivals</c> and a drawn <c>push_timeout</c> on a source: what loads, and what is refused where.</summary>
public class ArrivalsTests
{
    private static string WithSource(string fields) => Minimal.Replace("{ count: 200, to: w1 }", "{ count: 200, to: w1, " + fields + " }");

    [Fact]
    public void Sources_tick_unless_told_otherwise()
    {
        var source = Assert.Single(Load(Minimal).Pipeline.Sources);
        Assert.Equal(ArrivalProcess.Ticker, source.Arrivals);
        Assert.Equal(ArrivalProcess.Ticker, Assert.Single(Load(WithSource("arrivals: ticker")).Pipeline.Sources).Arrivals);
    }

    [Fact]
    public void Poisson_arrivals_load()
    {
        var source = Assert.Single(Load(WithSource("arrivals: poisson, push_interval: 2s")).Pipeline.Sources);
        Assert.Equal(ArrivalProcess.Poisson, source.Arrivals);
        Assert.Equal(TimeSpan.FromSeconds(2), source.PushInterval);
    }

    [Fact]
    public void An_unknown_arrival_process_is_named_with_the_choices() => Assert.Equal(
        "s.yaml:4:43: sources.agents.arrivals: expected one of ticker, poisson, found \"poison\" (did you mean \"poisson\"?)",
        Problem(WithSource("arrivals: poison")));

    [Fact]
    public void A_phase_jitter_on_poisson_arrivals_is_refused_not_ignored() => Assert.Equal(
        "s.yaml:4:66: sources.agents.phase_jitter: applies to ticker arrivals only: Poisson arrivals start one exponential gap after start, with no phase",
        Problem(WithSource("arrivals: poisson, phase_jitter: 5s")));

    [Fact]
    public void A_push_timeout_may_be_drawn_from_a_distribution()
    {
        var source = Assert.Single(Load(WithSource("push_timeout: \"exponential(30s)\"")).Pipeline.Sources);
        Assert.Equal("exponential(mean: 30)", source.PushTimeout!.ToString());
        Assert.Null(source.FixedPushTimeout);
    }

    [Fact]
    public void A_plain_push_timeout_is_still_one_fixed_deadline()
    {
        var source = Assert.Single(Load(WithSource("push_timeout: 1500ms")).Pipeline.Sources);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), source.FixedPushTimeout);
        Assert.Null(Assert.Single(Load(Minimal).Pipeline.Sources).PushTimeout);
    }

    [Theory]
    [InlineData("push_timeout: 0s", "s.yaml:4:47: sources.agents.push_timeout: must be positive (a distribution: its mean)")]
    [InlineData("push_timeout: \"uniform(0s, 0s)\"", "s.yaml:4:47: sources.agents.push_timeout: must be positive (a distribution: its mean)")]
    public void A_push_timeout_that_is_never_positive_is_refused(string field, string expected) =>
        Assert.Equal(expected, Problem(WithSource(field)));
}
