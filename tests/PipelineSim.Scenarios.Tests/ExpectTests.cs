using PipelineSim.Scenarios.Expect;

namespace PipelineSim.Scenarios.Tests;

using static ScenarioText;

public class ExpectTests
{
    /// <summary>A finished run as a dictionary of <c>component.metric</c> values.</summary>
    private sealed class RunValues(Dictionary<string, double> values) : IExpectContext
    {
        public List<string> Asked { get; } = [];

        public bool TryGetMetric(string component, string metric, out double value)
        {
            Asked.Add($"{component}.{metric}");
            return values.TryGetValue($"{component}.{metric}", out value);
        }
    }

    private static Scenario WithExpect(params string[] assertions) =>
        Load(Minimal + "\nexpect:\n" + string.Join("\n", assertions.Select(a => $"  - {a}")));

    private static IReadOnlyList<string> ExpectProblems(params string[] assertions) =>
        Problems(Minimal + "\nexpect:\n" + string.Join("\n", assertions.Select(a => $"  - {a}")));

    [Fact]
    public void Parses_the_brief_examples()
    {
        var scenario = WithExpect(
            "w1.pushes.failed > 0",
            "w2.attempts.max == 1",
            "r.connections.peak <= r.conn_limit",
            "w1.delivered_ratio >= 0.999",
            "w1.latency.p99 < 2s",
            "w1.pushes.failed.deadline_exceeded >= 99.9% * w1.pushes.failed",
            "w1.sent_bytes / w1.sent_profiles < 100KiB",
            "(w1.latency.max - w1.latency.p50) / w1.latency.p50 < 10",
            "agents.skipped_ticks == 0");
        Assert.Equal(9, scenario.Expectations.Count);
        var first = scenario.Expectations[0];
        Assert.Equal(("w1.pushes.failed > 0", Comparison.Greater, "s.yaml", new Problems.TextPosition(11, 5), "expect[0]"),
            (first.Text, first.Comparison, first.File, first.Position, first.Path));
        var metric = Assert.IsType<MetricTerm>(first.Left);
        Assert.Equal(("w1", "pushes.failed"), (metric.Component, metric.Metric));
        Assert.Equal("((w1.latency.max - w1.latency.p50) / w1.latency.p50)", scenario.Expectations[7].Left.ToString());
    }

    [Fact]
    public void Evaluates_against_the_run_and_the_scenario_config()
    {
        var scenario = WithExpect(
            "w1.pushes.failed > 0",
            "w2.attempts.max == 1",
            "r.connections.peak <= r.conn_limit",
            "w1.delivered_ratio >= 99.9%",
            "w1.latency.p99 < 2s",
            "agents.count * 4 == agents.profiles.created");
        var run = new RunValues(new()
        {
            ["w1.pushes.failed"] = 0,
            ["w2.attempts.max"] = 1,
            ["r.connections.peak"] = 16385,
            ["w1.delivered_ratio"] = 0.9995,
            ["w1.latency.p99"] = 2.5,
            ["agents.profiles.created"] = 800,
        });
        var outcomes = scenario.CheckExpectations(run);
        Assert.Equal([false, true, false, true, false, true], outcomes.Select(o => o.Passed));
        Assert.Equal(
            [
                "s.yaml:11:5: expect[0]: failed: w1.pushes.failed > 0 (w1.pushes.failed = 0)",
                "s.yaml:12:5: expect[1]: passed: w2.attempts.max == 1 (w2.attempts.max = 1)",
                "s.yaml:13:5: expect[2]: failed: r.connections.peak <= r.conn_limit (r.connections.peak = 16385, r.conn_limit = 16384)",
                "s.yaml:14:5: expect[3]: passed: w1.delivered_ratio >= 99.9% (w1.delivered_ratio = 0.9995)",
                "s.yaml:15:5: expect[4]: failed: w1.latency.p99 < 2s (w1.latency.p99 = 2.5s)",
                "s.yaml:16:5: expect[5]: passed: agents.count * 4 == agents.profiles.created (agents.count = 200, agents.profiles.created = 800)",
            ],
            outcomes.Select(o => o.ToString()));
        // Config metrics are the scenario's own: the run is never asked for them.
        Assert.DoesNotContain("r.conn_limit", run.Asked);
        Assert.DoesNotContain("agents.count", run.Asked);
    }

    [Fact]
    public void A_metric_the_run_lacks_fails_the_assertion_and_says_so()
    {
        var outcome = Assert.Single(WithExpect("w1.retries + w2.retries == 0").CheckExpectations(new RunValues(new() { ["w1.retries"] = 0 })));
        Assert.False(outcome.Passed);
        Assert.Equal("s.yaml:11:5: expect[0]: failed: w1.retries + w2.retries == 0 (the run has no value for w2.retries)", outcome.ToString());
    }

    [Fact]
    public void Zero_over_zero_fails_instead_of_passing_silently()
    {
        var outcome = Assert.Single(WithExpect("w1.pushes.failed / w1.pushes.total < 1%")
            .CheckExpectations(new RunValues(new() { ["w1.pushes.failed"] = 0, ["w1.pushes.total"] = 0 })));
        Assert.Equal((false, "the expression is not a number (0/0?)"), (outcome.Passed, outcome.Error));
    }

    [Theory]
    [InlineData(0.1 + 0.2, "==", 0.3, true)]
    [InlineData(1, "<", 1, false)]
    [InlineData(1, "<=", 1, true)]
    [InlineData(2, ">", 1, true)]
    [InlineData(1, ">=", 2, false)]
    [InlineData(1, "!=", 2, true)]
    [InlineData(1, "==", 1.0001, false)]
    public void Comparisons(double left, string op, double right, bool holds)
    {
        var scenario = WithExpect($"w1.retries {op} w2.retries");
        var run = new RunValues(new() { ["w1.retries"] = left, ["w2.retries"] = right });
        Assert.Equal(holds, Assert.Single(scenario.CheckExpectations(run)).Passed);
    }

    [Fact]
    public void Arithmetic_precedence_and_negation()
    {
        var scenario = WithExpect("w1.retries - 2 * 3 == -(1 + 2) + w2.retries / 2");
        var run = new RunValues(new() { ["w1.retries"] = 10, ["w2.retries"] = 14 });
        Assert.True(Assert.Single(scenario.CheckExpectations(run)).Passed); // 10 - 6 == -3 + 7
    }

    [Fact]
    public void Unknown_components_and_metrics_are_validation_problems_with_columns()
    {
        Assert.Equal(
            [
                "s.yaml:11:5: expect[0]: unknown component \"w3\" (did you mean \"w1\"?) in \"w3.pushes.failed > 0\"",
                "s.yaml:12:8: expect[1]: pyroscope.write \"w1\" has no metric \"pushes.faild\" (did you mean \"pushes.failed\"?) in \"w1.pushes.faild > 0\"",
                "s.yaml:13:7: expect[2]: pyroscope.receive_http \"r\" has no metric \"sent_bytes\" (it has: conn_limit, connections.peak, connections.mean, " +
                "connections.time_at_limit, connections.accepted, backlog.peak, syn_drops, requests.total, requests.failed, " +
                "requests.after_hang_up, requests.duplicates) in \"r.sent_bytes > 0\"",
                "s.yaml:14:8: expect[3]: pyroscope.write \"w1\" has no metric \"pushes.failed.timeout\" (did you mean \"pushes.failed.unknown\"?) in \"w1.pushes.failed.timeout > 0\"",
                "s.yaml:15:7: expect[4]: expected a metric after \"w1.\", one of: endpoints, pushes.total, pushes.delivered, pushes.failed, " +
                "pushes.failed.{code}, pushes.in_flight, delivered_ratio, attempts.total, attempts.max, attempts.mean, attempts.reused, retries, " +
                "sent_bytes, dropped_bytes, sent_profiles, dropped_profiles, latency.p50, latency.p90, latency.p99, latency.max, " +
                "attempt_latency.max, attempt_latency.mean in \"w1 > 0\"",
            ],
            ExpectProblems("w3.pushes.failed > 0", "w1.pushes.faild > 0", "r.sent_bytes > 0", "w1.pushes.failed.timeout > 0", "w1 > 0"));
    }

    [Fact]
    public void Units_must_agree()
    {
        Assert.Equal(
            [
                "s.yaml:11:22: expect[0]: w1.latency.p99 is a time: give 2 a unit, like 2s or 2ms in \"w1.latency.p99 < 2\"",
                "s.yaml:12:30: expect[1]: compares a number with seconds in \"w1.pushes.failed.unknown < 2s\"",
                "s.yaml:13:20: expect[2]: adds seconds with bytes in \"w1.latency.p99 + w1.sent_bytes > 0\"",
                "s.yaml:14:20: expect[3]: multiplies seconds by seconds, which has no unit here in \"w1.latency.p99 * w1.latency.p50 > 0s\"",
                "s.yaml:15:7: expect[4]: divides a number by seconds, which has no unit here in \"2 / w1.latency.p99 > 1\"",
            ],
            ExpectProblems(
                "w1.latency.p99 < 2",
                "w1.pushes.failed.unknown < 2s",
                "w1.latency.p99 + w1.sent_bytes > 0",
                "w1.latency.p99 * w1.latency.p50 > 0s",
                "2 / w1.latency.p99 > 1"));
    }

    [Fact]
    public void Plain_numbers_go_with_bytes_and_zero_with_anything()
    {
        var scenario = WithExpect("w1.sent_bytes > 1024 * 60", "w1.latency.p99 > 0", "w1.latency.p99 / w1.latency.p50 < 3");
        Assert.Equal(3, scenario.Expectations.Count);
    }

    [Fact]
    public void A_load_balancer_has_nothing_to_check()
    {
        string yaml = Minimal.Replace("{ url: r }", "{ url: lb }").Replace("  pyroscope: { kind: backend }", "  pyroscope: { kind: backend }\n  lb: { kind: load_balancer, targets: [r] }")
            + "\nexpect:\n  - lb.connections.peak > 0";
        Assert.Equal("s.yaml:12:5: expect[0]: load_balancer \"lb\" has no metrics that expect: can check in \"lb.connections.peak > 0\"", Problem(yaml));
    }

    [Theory]
    [InlineData("\"\"", 6, "empty assertion (expected something like w1.pushes.failed == 0)")]
    [InlineData("w1.pushes.failed", 21, "expected a comparison (<, <=, >, >=, ==, !=), found the end")]
    [InlineData("0 < w1.pushes.failed < 5", 26, "one comparison per assertion: write a second assertion instead of chaining")]
    [InlineData("w1.pushes.failed = 0", 22, "a single '=' is not a comparison: write == for equality")]
    [InlineData("(w1.retries > 0", 17, "expected \")\", found \">\"")]
    [InlineData("w1.retries > 5x", 18, "\"5x\" is not a number, a duration (like 500ms) or a size (like 60KiB)")]
    [InlineData("w1.retries > 0 &", 20, "unexpected character '&'")]
    public void Syntax_errors(string assertion, int column, string message)
    {
        string shown = assertion.Trim('"');
        Assert.Equal($"s.yaml:11:{column}: expect[0]: {message} in \"{shown}\"", Assert.Single(ExpectProblems(assertion)));
    }

    [Fact]
    public void Quoted_assertions_point_inside_the_quotes_and_non_strings_are_rejected()
    {
        Assert.Equal(
            [
                "s.yaml:11:6: expect[0]: unknown component \"w9\" (did you mean \"w1\"?) in \"w9.retries > 0\"",
                "s.yaml:12:5: expect[1]: expected an assertion like \"w1.pushes.failed == 0\", found a mapping",
            ],
            ExpectProblems("'w9.retries > 0'", "{ that: w1.retries }"));
    }

    [Fact]
    public void An_assertion_from_the_command_line_is_checked_against_the_scenario_s_names_and_measures_both_sides()
    {
        var kinds = WithExpect("w1.pushes.failed == 0").Kinds;
        Assert.True(Expectation.TryParse("w1.retries / w1.pushes.total < 1%", kinds, "--slo", out var claim, out string error), error);
        Assert.Equal(("--slo", "--slo", Comparison.Less), (claim.File, claim.Path, claim.Comparison));

        var measure = claim.Measure(new RunValues(new() { ["w1.retries"] = 3, ["w1.pushes.total"] = 600 }));
        Assert.Equal((0.005, 0.01), (measure.Left, measure.Right));
        Assert.Null(measure.Error);
        Assert.True(claim.Holds(measure.Left!.Value, measure.Right!.Value));

        var missing = claim.Measure(new RunValues(new() { ["w1.retries"] = 3 }));
        Assert.Equal((null, null), (missing.Left, missing.Right));
        Assert.Contains("w1.pushes.total", missing.Error);

        Assert.False(Expectation.TryParse("w9.retries == 0", kinds, "--slo", out _, out error));
        Assert.Contains("unknown component \"w9\"", error);
        Assert.EndsWith("at character 1", error);
    }
}
