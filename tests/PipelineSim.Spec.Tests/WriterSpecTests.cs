using PipelineSim.Core.Options;

namespace PipelineSim.Spec.Tests;

public class WriterSpecTests
{
    private static WriterSpec With(Func<WriteEndpointOptions, WriteEndpointOptions> endpoint) => new()
    {
        Name = "w",
        Options = new WriteOptions { Endpoints = [endpoint(new WriteEndpointOptions { Url = "http://r:8080" })] },
    };

    [Fact]
    public void Alloys_defaults_are_valid() => Assert.Empty(With(e => e).Validate());

    public static TheoryData<WriterSpec, string> Invalid => new()
    {
        { new WriterSpec { Name = "w" }, "endpoints" },
        { With(e => e with { RemoteTimeout = TimeSpan.FromSeconds(-1) }), "endpoints[0].remote_timeout" },
        { With(e => e with { MinBackoffPeriod = TimeSpan.FromSeconds(-1) }), "endpoints[0].min_backoff_period" },
        { With(e => e with { MaxBackoffPeriod = TimeSpan.FromSeconds(-1) }), "endpoints[0].max_backoff_period" },
        { With(e => e with { MaxBackoffRetries = -1 }), "endpoints[0].max_backoff_retries" },
        { With(e => e with { DebugInfoUploadTimeout = TimeSpan.FromSeconds(-1) }), "endpoints[0].debug_info_upload_timeout" },
        { With(e => e with { Transport = e.Transport with { IdleConnTimeout = TimeSpan.FromSeconds(-1) } }), "endpoints[0].transport.idle_conn_timeout" },
        { With(e => e with { Transport = e.Transport with { KeepAlive = e.Transport.KeepAlive with { Idle = TimeSpan.Zero } } }), "endpoints[0].transport.keep_alive" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Each_bad_value_is_one_problem_naming_its_field(WriterSpec spec, string path) =>
        Assert.Equal(path, Assert.Single(spec.Validate()).Path);

    [Fact]
    public void The_validator_adds_the_components_path_and_the_topologys_url_check()
    {
        var spec = new PipelineSpec
        {
            Duration = TimeSpan.FromMinutes(1),
            Components = [With(e => e with { MaxBackoffRetries = -1 })],
        };
        Assert.Equal(
            [
                "components.w.endpoints[0].max_backoff_retries: must not be negative (0 retries for ever)",
                "components.w.endpoints[0].url: no component named 'r'",
            ],
            SpecValidator.Validate(spec).Select(p => p.ToString()));
    }
}
