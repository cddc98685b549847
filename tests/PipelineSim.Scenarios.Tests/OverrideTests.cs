using PipelineSim.Spec;

namespace PipelineSim.Scenarios.Tests;

/// <summary>Command-line overrides of scenario values, by the paths problem messages print.</summary>
public class OverrideTests
{
    private static Result<Scenario, IReadOnlyList<Problems.ScenarioProblem>> Load(params string[] overrides)
    {
        var parsed = overrides.Select(text =>
        {
            Assert.True(ScenarioOverride.TryParse(text, out var value, out string error), error);
            return value!;
        }).ToList();
        return ScenarioLoader.Parse(ScenarioText.Minimal, ScenarioText.File, parsed);
    }

    private static Scenario Loaded(params string[] overrides)
    {
        var result = Load(overrides);
        Assert.True(result.IsOk, string.Join("\n", result.Error ?? []));
        return result.Value!;
    }

    [Fact]
    public void A_value_in_the_file_is_replaced_and_read_as_if_written_there()
    {
        var scenario = Loaded("components.w1.endpoints[0].url=http://r:9999", "sources.agents.count=7", "duration=90s");
        var w1 = scenario.Pipeline.Components.OfType<WriterSpec>().Single(w => w.Name == "w1");
        Assert.Equal("http://r:9999", w1.Options.Endpoints[0].Url);
        Assert.Equal(7, scenario.Pipeline.Sources.Single().Count);
        Assert.Equal(TimeSpan.FromSeconds(90), scenario.Pipeline.Duration);
    }

    [Fact]
    public void A_key_the_file_leaves_to_its_default_can_be_set()
    {
        var scenario = Loaded("components.w1.endpoints[0].remote_timeout=30s", "components.r.conn_limit=250");
        var w1 = scenario.Pipeline.Components.OfType<WriterSpec>().Single(w => w.Name == "w1");
        Assert.Equal(TimeSpan.FromSeconds(30), w1.Options.Endpoints[0].RemoteTimeout);
        Assert.Equal(250, scenario.Pipeline.Components.OfType<ReceiverSpec>().Single().Http.ConnLimit);
        // The file itself is untouched: a load without overrides has the defaults.
        var plain = ScenarioText.Load(ScenarioText.Minimal);
        Assert.Equal(TimeSpan.FromSeconds(10), plain.Pipeline.Components.OfType<WriterSpec>().First().Options.Endpoints[0].RemoteTimeout);
    }

    [Theory]
    [InlineData("components.w9.endpoints[0].url=x", "s.yaml:6:3: components.w9.endpoints[0].url: cannot set: components has no \"w9\" (it has: w1, r, w2, pyroscope)")]
    [InlineData("components.w1.endpoints[3].url=x", "components.w1.endpoints[3].url: cannot set: components.w1.endpoints has 1 item(s), so there is no [3]")]
    [InlineData("duration.seconds=4", "duration.seconds: cannot set: duration is \"30m\", not a mapping with \"seconds\"")]
    public void A_path_that_leads_nowhere_is_one_problem_naming_where_it_stopped(string change, string expected)
    {
        var result = Load(change);
        Assert.False(result.IsOk);
        Assert.EndsWith(expected, Assert.Single(result.Error!).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_value_is_reported_as_the_command_line_s()
    {
        var result = Load("components.w1.endpoints[0].remote_timeout=-3s");
        Assert.False(result.IsOk);
        string problem = Assert.Single(result.Error!).ToString();
        Assert.Contains("components.w1.endpoints[0].remote_timeout", problem);
        Assert.EndsWith("(the value '-3s' set on the command line)", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-equals", "is not PATH=VALUE")]
    [InlineData("=5", "is not PATH=VALUE")]
    [InlineData("components..x=5", "needs a key before its index")]
    [InlineData("components.w1.endpoints[x].url=5", "has an index that is not [N]")]
    public void A_malformed_override_is_refused(string text, string expected)
    {
        Assert.False(ScenarioOverride.TryParse(text, out _, out string error));
        Assert.Contains(expected, error);
    }
}
