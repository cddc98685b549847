using PipelineSim.Spec;
using PipelineSim.Cli.Commands;

namespace PipelineSim.Cli.Tests.Commands;

public class LiveCommandsTests
{
    private static (int Code, string Error) Run(params string[] args)
    {
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            return (PipelineSimApp.Create().Run(args), error.ToString());
        }
        finally
        {
            Console.SetError(previous);
        }
    }

    [Theory]
    [InlineData("--latency: unknown distribution \"fast\"", "serve", "backend", "--latency", "fast")]
    [InlineData("--error: \"bogus=0.1\" is not CODE=RATE", "serve", "backend", "--error", "bogus=0.1")]
    [InlineData("--outage: \"10s\" is not FROM-TO", "serve", "backend", "--outage", "10s")]
    [InlineData("--upstream is required", "serve", "proxy")]
    [InlineData("--mode: \"loud\" is neither silent nor reset", "serve", "proxy", "--upstream", "127.0.0.1:9", "--mode", "loud")]
    [InlineData("--control: 0.0.0.0:4042 is not a loopback address", "serve", "proxy", "--upstream", "127.0.0.1:9", "--control", "0.0.0.0:4042")]
    [InlineData("--max-buffer-bytes: 0 must be at least 1", "serve", "proxy", "--upstream", "127.0.0.1:9", "--max-buffer-bytes", "0")]
    [InlineData("--conn-limit: must not be negative (0 means no limit)", "serve", "receive-http", "--conn-limit", "-1")]
    [InlineData("--backlog: must be at least 1", "serve", "receive-http", "--backlog", "0")]
    [InlineData("--max-body-bytes: must be at least 1 byte", "serve", "receive-http", "--max-body-bytes", "0")]
    [InlineData("--listen: \"here\" is not ADDRESS:PORT", "serve", "receive-http", "--listen", "here")]
    [InlineData("--forward-to: \"ftp://x\" is not an http(s) URL", "serve", "receive-http", "--forward-to", "ftp://x")]
    [InlineData("--conn-limit: 4 is below --connections 8", "bench", "live", "--connections", "8", "--conn-limit", "4")]
    [InlineData("--time-scale: 0 must be above 0 and at most 1", "live", "x.yaml", "--time-scale", "0")]
    [InlineData("--duration: invalid duration \"10\"", "live", "x.yaml", "--duration", "10")]
    [InlineData("--time-scale: 2 must be above 0 and at most 1", "compare", "x.yaml", "--time-scale", "2")]
    [InlineData("--stall: invalid duration \"soon\"", "compare", "x.yaml", "--stall", "soon")]
    public void Bad_options_give_one_line_and_exit_code_2(string expected, params string[] args)
    {
        var (code, error) = Run(args);
        Assert.Equal(PipelineSimApp.UsageError, code);
        Assert.StartsWith("pipelinesim: ", error);
        Assert.Contains(expected, error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("127.0.0.1:8080", "127.0.0.1", 8080)]
    [InlineData("8080", "127.0.0.1", 8080)]
    [InlineData("localhost:9", "127.0.0.1", 9)]
    [InlineData("[::1]:4040", "::1", 4040)]
    [InlineData("0.0.0.0:80", "0.0.0.0", 80)]
    public void Endpoints_parse(string text, string address, int port)
    {
        Assert.True(LiveCommandSupport.TryParseEndPoint(text, out var endPoint));
        Assert.Equal((address, port), (endPoint.Address.ToString(), endPoint.Port));
    }

    [Fact]
    public void Backend_options_map_onto_the_stub()
    {
        var settings = new ServeBackendCommand.Settings
        {
            Latency = "lognormal(700ms, 0.4)",
            Errors = ["unavailable=0.05", "resource_exhausted=0.01"],
            Outages = ["1m-2m30s"],
        };
        Assert.True(settings.Validate().Successful);
        var options = settings.ToSpec();
        Assert.Equal("lognormal(mean: 0.7, sigma: 0.4)", options.Latency.ToString()); // the kernel's, in seconds
        Assert.Equal(2, options.Errors.Count);
        Assert.Equal((TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(90)), (options.Outages[0].Start, options.Outages[0].Duration));
    }

    [Fact]
    public void Serve_backend_has_a_scenario_backends_defaults()
    {
        var defaults = new BackendSpec { Name = "backend" };
        var options = new ServeBackendCommand.Settings().ToSpec();
        Assert.Equal(defaults.Latency.ToString(), options.Latency.ToString());
        Assert.Equal((defaults.QueueCapacity, defaults.ServerWriteTimeout, defaults.MaxRequestBodyBytes),
            (options.QueueCapacity, options.ServerWriteTimeout, options.MaxRequestBodyBytes));
    }

    [Fact]
    public void Serve_receive_http_has_a_scenario_receivers_defaults()
    {
        var spec = new ServeReceiveHttpCommand.Settings().ToSpec();
        var defaults = new ReceiverSpec { Name = spec.Name };
        Assert.Equal(defaults.Http with { ListenAddress = "127.0.0.1", ListenPort = 8080 }, spec.Http);
        Assert.Equal((defaults.AcceptBacklog, defaults.MaxRequestBodyBytes), (spec.AcceptBacklog, spec.MaxRequestBodyBytes));

        var tuned = new ServeReceiveHttpCommand.Settings { ReadTimeout = "5s", Backlog = 64, MaxBodyBytes = 1024 }.ToSpec();
        Assert.Equal((TimeSpan.FromSeconds(5), defaults.Http.ServerWriteTimeout, 64, 1024L),
            (tuned.Http.ServerReadTimeout, tuned.Http.ServerWriteTimeout, tuned.AcceptBacklog, tuned.MaxRequestBodyBytes));
    }

    [Fact]
    public void Serve_backend_reports_the_specs_own_problems()
    {
        var result = new ServeBackendCommand.Settings { Concurrency = -1 }.Validate();
        Assert.False(result.Successful);
        Assert.Equal("concurrency: must not be negative (0 means no limit)", result.Message);
    }
}
