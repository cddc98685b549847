using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;

namespace PipelineSim.Spec.Tests;

public class ReceiverSpecTests
{
    private static ReceiverSpec Valid => new() { Name = "r" };

    [Fact]
    public void The_defaults_are_valid_and_documented_values()
    {
        var spec = Valid;
        Assert.Empty(spec.Validate());
        Assert.Equal(4096, spec.AcceptBacklog);
        Assert.Equal(64L * 1024 * 1024, spec.MaxRequestBodyBytes);
        Assert.Equal(new ReceiveHttpOptions(), spec.Http);
        Assert.Null(spec.HandlerTime);
        // The backend's body bound defaults to the receiver's, from one constant.
        Assert.Equal(spec.MaxRequestBodyBytes, new BackendSpec { Name = "b" }.MaxRequestBodyBytes);
    }

    public static TheoryData<ReceiverSpec, string> Invalid => new()
    {
        { Valid with { Http = new ReceiveHttpOptions { ConnLimit = -1 } }, "conn_limit" },
        { Valid with { Http = new ReceiveHttpOptions { ListenPort = 65536 } }, "listen_port" },
        { Valid with { AcceptBacklog = 0 }, "accept_backlog" },
        { Valid with { Http = new ReceiveHttpOptions { ServerReadTimeout = TimeSpan.FromSeconds(-1) } }, "server_read_timeout" },
        { Valid with { Http = new ReceiveHttpOptions { ServerWriteTimeout = TimeSpan.FromSeconds(-1) } }, "server_write_timeout" },
        { Valid with { Http = new ReceiveHttpOptions { ServerIdleTimeout = TimeSpan.FromSeconds(-1) } }, "server_idle_timeout" },
        { Valid with { Http = new ReceiveHttpOptions { GracefulShutdownTimeout = TimeSpan.FromSeconds(-1) } }, "graceful_shutdown_timeout" },
        { Valid with { Http = new ReceiveHttpOptions { Http2MaxConcurrentStreams = 0 } }, "http2.max_concurrent_streams" },
        { Valid with { Http = new ReceiveHttpOptions { Http2PingTimeout = TimeSpan.Zero } }, "http2.ping_timeout" },
        { Valid with { Http = new ReceiveHttpOptions { Http2ReadIdleTimeout = TimeSpan.FromSeconds(-1) } }, "http2.read_idle_timeout" },
        { Valid with { MaxRequestBodyBytes = 0 }, "max_request_body" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Each_bad_value_is_one_problem_naming_its_field(ReceiverSpec spec, string path) =>
        Assert.Equal(path, Assert.Single(spec.Validate()).Path);

    [Fact]
    public void Zero_server_timeouts_are_gos_none_and_valid()
    {
        var spec = Valid with { Http = new ReceiveHttpOptions { ServerReadTimeout = TimeSpan.Zero, ServerWriteTimeout = TimeSpan.Zero, ServerIdleTimeout = TimeSpan.Zero } };
        Assert.Empty(spec.Validate());
    }

    [Fact]
    public void The_validator_reports_receiver_problems_under_the_components_path()
    {
        var spec = new PipelineSpec
        {
            Duration = TimeSpan.FromMinutes(1),
            Components = [Valid with { AcceptBacklog = -3, MaxRequestBodyBytes = -1, ForwardTo = ["nowhere"] }],
        };
        var problems = SpecValidator.Validate(spec).Select(p => p.ToString()).ToList();
        Assert.Equal(
            [
                "components.r.accept_backlog: must be at least 1",
                "components.r.max_request_body: must be at least 1 byte",
                "components.r.forward_to[0]: no component named 'nowhere'",
            ],
            problems);
    }

    [Fact]
    public void The_body_limit_is_cores_rule_with_the_specs_bound()
    {
        var limit = (Valid with { MaxRequestBodyBytes = 1000 }).BodyLimit;
        Assert.True(limit.Admits(1000));
        Assert.False(limit.Admits(1001));
        Assert.Equal(new ConnectError(ConnectCode.ResourceExhausted, "request body larger than 1000 bytes"), limit.Refusal());
    }
}
