using PipelineSim.Core.Backend;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Time;

namespace PipelineSim.Spec.Tests;

public class BackendSpecTests
{
    private static BackendSpec Valid => new() { Name = "pyroscope" };

    [Fact]
    public void The_defaults_are_valid_and_documented_values()
    {
        var spec = Valid;
        Assert.Empty(spec.Validate());
        Assert.Equal("lognormal(mean: 0.7, sigma: 0.4)", spec.Latency.ToString());
        Assert.Equal((0, int.MaxValue, ConnectCode.Unavailable), (spec.Concurrency, spec.QueueCapacity, spec.QueueFullCode));
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(120)),
            (spec.ServerReadTimeout, spec.ServerWriteTimeout, spec.ServerIdleTimeout));
        Assert.Equal(64L * 1024 * 1024, spec.MaxRequestBodyBytes);
    }

    public static TheoryData<BackendSpec, string> Invalid => new()
    {
        { Valid with { Concurrency = -1 }, "concurrency" },
        { Valid with { QueueCapacity = -1 }, "queue_capacity" },
        { Valid with { QueueFullCode = ConnectCode.Ok }, "queue_full_code" },
        { Valid with { Errors = [new ErrorRateSpec(ConnectCode.Internal, -0.5)] }, "errors[0].probability" },
        { Valid with { Errors = [new ErrorRateSpec(ConnectCode.Ok, 0.1)] }, "errors[0].code" },
        { Valid with { Errors = [new ErrorRateSpec(ConnectCode.Internal, 0.6), new ErrorRateSpec(ConnectCode.Unavailable, 0.6)] }, "errors" },
        { Valid with { RateLimit = new RateLimitSpec(0, 1) }, "rate_limit.rate" },
        { Valid with { RateLimit = new RateLimitSpec(1, 0) }, "rate_limit.burst" },
        { Valid with { Outages = [new OutageSpec(TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(1))] }, "outages[0].start" },
        { Valid with { Outages = [new OutageSpec(TimeSpan.Zero, TimeSpan.Zero)] }, "outages[0].duration" },
        { Valid with { ServerIdleTimeout = TimeSpan.Zero }, "server_idle_timeout" },
        { Valid with { ServerWriteTimeout = TimeSpan.Zero }, "server_write_timeout" },
        { Valid with { ServerReadTimeout = TimeSpan.Zero }, "server_read_timeout" },
        { Valid with { MaxRequestBodyBytes = 0 }, "max_request_body" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Each_bad_value_is_one_problem_naming_its_field(BackendSpec spec, string path) =>
        Assert.Equal(path, Assert.Single(spec.Validate()).Path);

    [Fact]
    public void The_validator_reports_backend_problems_under_the_components_path()
    {
        var spec = new PipelineSpec
        {
            Duration = TimeSpan.FromMinutes(1),
            Components = [Valid with { Concurrency = -1, MaxRequestBodyBytes = 0 }],
        };
        var problems = SpecValidator.Validate(spec).Select(p => p.ToString()).ToList();
        Assert.Contains("components.pyroscope.concurrency: must not be negative (0 means no limit)", problems);
        Assert.Contains("components.pyroscope.max_request_body: must be at least 1 byte", problems);
    }

    [Fact]
    public void Rules_carry_every_admission_value_and_order_outages_by_start()
    {
        var spec = Valid with
        {
            Concurrency = 3,
            QueueCapacity = 7,
            QueueFullCode = ConnectCode.ResourceExhausted,
            RateLimit = new RateLimitSpec(5, 10, RateLimitUnit.Bytes),
            Errors = [new ErrorRateSpec(ConnectCode.Internal, 0.25)],
            Outages = [new OutageSpec(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(5), OutageMode.Hang)],
        };
        var rules = spec.ToRules([new OutageSpec(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), OutageMode.Refuse)]);

        Assert.Equal((3, 7, ConnectCode.ResourceExhausted), (rules.Concurrency, rules.QueueCapacity, rules.QueueFullCode));
        Assert.Equal(new RateLimit(5, 10, PerByte: true), rules.RateLimit);
        Assert.Equal([new ErrorShare(ConnectCode.Internal, 0.25)], rules.Errors);
        Assert.Equal(
            [
                new OutageWindow(Instant.FromSeconds(10), Instant.FromSeconds(11), OutageKind.Refuse),
                new OutageWindow(Instant.FromSeconds(20), Instant.FromSeconds(25), OutageKind.Hang),
            ],
            rules.Outages);
    }
}
