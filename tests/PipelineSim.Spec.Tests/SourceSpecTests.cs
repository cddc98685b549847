namespace PipelineSim.Spec.Tests;

/// <summary>The one option type of an agent fleet, read by the simulator and the live agents alike.</summary>
public class SourceSpecTests
{
    private static SourceSpec Valid => new() { Name = "agents", To = "w1" };

    [Fact]
    public void The_defaults_are_valid_and_documented_values()
    {
        var spec = Valid;
        Assert.Empty(spec.Validate());
        Assert.Equal((1, TimeSpan.FromSeconds(15), 1), (spec.Count, spec.PushInterval, spec.ProfilesPerPush));
        Assert.Equal("constant(65536)", spec.ProfileBytes.ToString());
        Assert.Equal((WriterSharing.PerAgent, TimeSpan.Zero), (spec.Writer, spec.Start));
        Assert.Null(spec.PhaseJitter);
        Assert.Null(spec.PushTimeout);
        Assert.Null(spec.Stop);
    }

    public static TheoryData<SourceSpec, string> Invalid => new()
    {
        { Valid with { Count = -1 }, "count" },
        { Valid with { Count = SourceSpec.MaxAgents + 1 }, "count" },
        { Valid with { PushInterval = TimeSpan.Zero }, "push_interval" },
        { Valid with { PhaseJitter = TimeSpan.FromTicks(-1) }, "phase_jitter" },
        { Valid with { ProfilesPerPush = 0 }, "profiles_per_push" },
        { Valid with { ProfilesPerPush = SourceSpec.MaxProfilesPerPush + 1 }, "profiles_per_push" },
        { Valid with { PushTimeout = Distributions.Constant(0) }, "push_timeout" },
        { Valid with { Start = TimeSpan.FromTicks(-1) }, "start" },
        { Valid with { Start = TimeSpan.FromSeconds(10), Stop = TimeSpan.FromSeconds(10) }, "stop" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Each_bad_value_is_one_problem_naming_its_field(SourceSpec spec, string path) =>
        Assert.Equal(path, Assert.Single(spec.Validate()).Path);

    [Fact]
    public void The_validator_reports_source_problems_under_the_sources_path()
    {
        var spec = new PipelineSpec
        {
            Duration = TimeSpan.FromMinutes(1),
            Sources = [Valid with { Count = -1, PushInterval = TimeSpan.Zero }],
        };
        var problems = SpecValidator.Validate(spec).Select(p => p.ToString()).ToList();
        Assert.Contains("sources.agents.count: must not be negative", problems);
        Assert.Contains("sources.agents.push_interval: must be positive", problems);
    }
}
