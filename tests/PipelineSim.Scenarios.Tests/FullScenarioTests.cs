using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Spec;

namespace PipelineSim.Scenarios.Tests;

using static ScenarioText;

/// <summary>A complete DESIGN.md-style scenario, read into the model's specs field by field.</summary>
public class FullScenarioTests
{
    private const string Full = """
        name: timeout-chain-broken-idle
        description: w2's hop breaks idle flows silently
        duration: 30m
        seed: 7
        sample_step: 5s
        network: { default_rtt: 2ms, syn_retries: 5, max_rto: 60s }
        sources:
          agents: { count: 200, push_interval: 15s, profiles_per_push: 4, profile_bytes: "lognormal(60KiB, 0.5)", to: w1 }
          scrapers:
            count: 3
            push_interval: 1m
            phase_jitter: 10s
            profile_bytes: 1MiB
            to: w1
            writer: shared
            push_timeout: 30s
            start: 1m
            stop: 20m
        components:
          w1:
            kind: pyroscope.write
            external_labels: { cluster: eu-1 }
            endpoints:
              - url: r
                remote_timeout: 10s
              - url: https://lb:443
                name: second
                remote_timeout: 25s
                min_backoff_period: 1s
                max_backoff_period: 30s
                max_backoff_retries: 3
                retry_on_http_429: false
                headers: { X-Scope-OrgID: tenant }
                enable_http2: true
                transport:
                  max_idle_conns_per_host: 10
                  idle_conn_timeout: 90s
                  dial_timeout: 30s
                  keep_alive: { enabled: false, idle: 30s, interval: 5s, count: 3 }
          r:
            kind: pyroscope.receive_http
            conn_limit: 100
            server_write_timeout: 45s
            accept_backlog: 128
            keep_alive: { idle: 60s }
            handler_time: constant(2ms)
            max_request_body: 4MiB
            http2: { enabled: true, max_concurrent_streams: 250 }
            forward_to: [w2]
          w2: { kind: pyroscope.write, tracing: { jaeger_propagator: false }, endpoints: [ { url: pyroscope, remote_timeout: 3s } ] }
          lb:
            kind: load_balancer
            layer: l7
            policy: least_connections
            targets: [r]
            request_timeout: 20s
          pyroscope:
            kind: backend
            latency: "lognormal(mean: 700ms, sigma: 0.4)"
            concurrency: 512
            queue_capacity: 1000
            queue_full_code: resource_exhausted
            errors: [ { code: unavailable, probability: 1% }, { code: internal, probability: 0.001 } ]
            rate_limit: { rate: 4MiB, burst: 8MiB, unit: bytes }
            outages: [ { start: 20m, duration: 30s, mode: hang } ]
            keep_alive: { enabled: false }
            server_read_timeout: 10s
            max_request_body: 16MiB
        links:
          - { from: w2, to: pyroscope, rtt: 20ms, middlebox: { idle_timeout: 240s, mode: silent } }
          - { from: w1, to: lb, middlebox: { idle_timeout: 350s, mode: rst } }
        faults:
          - { at: 10m, kind: drop-idle-flows, link: w2->pyroscope }
          - { at: 11m, kind: partition, link: w1->r, duration: 20s }
          - { at: 12m, kind: backend-outage, backend: pyroscope, duration: 1m, mode: refuse }
          - { at: 13m, kind: restart, component: r }
          - { kind: random-link-breaks, link: w2->pyroscope, rate_per_connection_hour: 0.5, mode: rst, start: 5m, stop: 25m }
        expect:
          - w1.pushes.failed > 0
          - w2.attempts.max == 1
        """;

    [Fact]
    public void Every_field_reaches_the_spec()
    {
        var scenario = Load(Full);
        var p = scenario.Pipeline;
        Assert.Equal(("timeout-chain-broken-idle", TimeSpan.FromMinutes(30), 7UL, TimeSpan.FromSeconds(5)), (p.Name, p.Duration, p.Seed, p.SampleStep));
        Assert.Equal("w2's hop breaks idle flows silently", scenario.Description);
        Assert.Equal(NetworkSpec.Linux with { DefaultRtt = TimeSpan.FromMilliseconds(2), SynRetries = 5, MaxRto = TimeSpan.FromSeconds(60) }, p.Network);

        Assert.Equal(2, p.Sources.Count);
        var agents = p.Sources[0];
        Assert.Equal("lognormal(mean: 61440, sigma: 0.5)", agents.ProfileBytes.ToString());
        Assert.Equal(new SourceSpec
        {
            Name = "agents", Count = 200, PushInterval = TimeSpan.FromSeconds(15), PhaseJitter = TimeSpan.FromSeconds(15),
            ProfilesPerPush = 4, ProfileBytes = agents.ProfileBytes, To = "w1",
        }, agents);
        var scrapers = p.Sources[1];
        Assert.Equal(new SourceSpec
        {
            Name = "scrapers", Count = 3, PushInterval = TimeSpan.FromMinutes(1), PhaseJitter = TimeSpan.FromSeconds(10),
            ProfileBytes = scrapers.ProfileBytes, To = "w1", Writer = WriterSharing.Shared, PushTimeout = Distributions.Constant(30),
            Start = TimeSpan.FromMinutes(1), Stop = TimeSpan.FromMinutes(20),
        }, scrapers);
        Assert.Equal("constant(1048576)", scrapers.ProfileBytes.ToString());

        Assert.Equal(["w1", "r", "w2", "lb", "pyroscope"], p.Components.Select(c => c.Name));
        var w1 = Assert.IsType<WriterSpec>(p.Components[0]).Options;
        Assert.Equal("eu-1", w1.ExternalLabels["cluster"]);
        Assert.Equal(new WriteEndpointOptions { Url = "http://r", Headers = w1.Endpoints[0].Headers }, w1.Endpoints[0]);
        var second = w1.Endpoints[1];
        Assert.Equal(new WriteEndpointOptions
        {
            Url = "https://lb:443", Name = "second", RemoteTimeout = TimeSpan.FromSeconds(25), MinBackoffPeriod = TimeSpan.FromSeconds(1),
            MaxBackoffPeriod = TimeSpan.FromSeconds(30), MaxBackoffRetries = 3, RetryOnHttp429 = false, Headers = second.Headers,
            Transport = HttpTransportOptions.AlloyDefault with
            {
                MaxIdleConnsPerHost = 10, IdleConnTimeout = TimeSpan.FromSeconds(90), DialTimeout = TimeSpan.FromSeconds(30),
                KeepAlive = new TcpKeepAliveOptions { Enabled = false, Idle = TimeSpan.FromSeconds(30), Interval = TimeSpan.FromSeconds(5), Count = 3 },
            },
        }, second);
        Assert.Equal("tenant", second.Headers["X-Scope-OrgID"]);
        Assert.True(second.UsesHttp2);

        var r = Assert.IsType<ReceiverSpec>(p.Components[1]);
        Assert.Equal(["w2"], r.ForwardTo);
        Assert.Equal(new ReceiveHttpOptions
        {
            ConnLimit = 100, ServerWriteTimeout = TimeSpan.FromSeconds(45), Http2Enabled = true, Http2MaxConcurrentStreams = 250,
        }, r.Http);
        Assert.Equal((128, "constant(0.002)", 4L * 1024 * 1024), (r.AcceptBacklog, r.HandlerTime?.ToString(), r.MaxRequestBodyBytes));
        Assert.Equal(TcpKeepAliveOptions.GoDefault with { Idle = TimeSpan.FromSeconds(60) }, r.KeepAlive);

        var w2 = Assert.IsType<WriterSpec>(p.Components[2]).Options;
        Assert.Equal((false, true), (w2.JaegerPropagator, w2.TraceContextPropagator));
        Assert.Equal(TimeSpan.FromSeconds(3), Assert.Single(w2.Endpoints).RemoteTimeout);

        var lb = Assert.IsType<LoadBalancerSpec>(p.Components[3]);
        Assert.Equal(["r"], lb.Targets);
        Assert.Equal(new LoadBalancerSpec
        {
            Name = "lb", Layer = LoadBalancerLayer.L7, Policy = BalancePolicy.LeastConnections, Targets = lb.Targets,
            RequestTimeout = TimeSpan.FromSeconds(20),
        }, lb);

        var backend = Assert.IsType<BackendSpec>(p.Components[4]);
        Assert.Equal("lognormal(mean: 0.7, sigma: 0.4)", backend.Latency.ToString());
        Assert.Equal((512, 1000, ConnectCode.ResourceExhausted), (backend.Concurrency, backend.QueueCapacity, backend.QueueFullCode));
        Assert.Equal([new ErrorRateSpec(ConnectCode.Unavailable, 0.01), new ErrorRateSpec(ConnectCode.Internal, 0.001)], backend.Errors);
        Assert.Equal(new RateLimitSpec(4 * 1024 * 1024, 8 * 1024 * 1024, RateLimitUnit.Bytes), backend.RateLimit);
        Assert.Equal([new OutageSpec(TimeSpan.FromMinutes(20), TimeSpan.FromSeconds(30), OutageMode.Hang)], backend.Outages);
        Assert.Equal(TcpKeepAliveOptions.GoDefault with { Enabled = false }, backend.KeepAlive);
        Assert.Equal((TimeSpan.FromSeconds(10), 16L * 1024 * 1024), (backend.ServerReadTimeout, backend.MaxRequestBodyBytes));

        Assert.Equal(
            [
                new LinkSpec { From = "w2", To = "pyroscope", Rtt = TimeSpan.FromMilliseconds(20), Middlebox = new MiddleboxSpec(TimeSpan.FromSeconds(240)) },
                new LinkSpec { From = "w1", To = "lb", Middlebox = new MiddleboxSpec(TimeSpan.FromSeconds(350), MiddleboxMode.Rst) },
            ],
            p.Links);

        Assert.Equal(
            [
                new DropIdleFlowsFault { At = TimeSpan.FromMinutes(10), Link = "w2->pyroscope" },
                new PartitionFault { At = TimeSpan.FromMinutes(11), Link = "w1->r", Duration = TimeSpan.FromSeconds(20) },
                new BackendOutageFault { At = TimeSpan.FromMinutes(12), Backend = "pyroscope", Duration = TimeSpan.FromMinutes(1), Mode = OutageMode.Refuse },
                new RestartFault { At = TimeSpan.FromMinutes(13), Component = "r" },
                new RandomLinkBreaksFault
                {
                    Link = "w2->pyroscope", RatePerConnectionHour = 0.5, Mode = MiddleboxMode.Rst, Start = TimeSpan.FromMinutes(5), Stop = TimeSpan.FromMinutes(25),
                },
            ],
            p.Faults);

        Assert.Equal(["w1.pushes.failed > 0", "w2.attempts.max == 1"], scenario.Expectations.Select(e => e.Text));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["agents"] = "source", ["scrapers"] = "source", ["w1"] = "pyroscope.write", ["r"] = "pyroscope.receive_http",
                ["w2"] = "pyroscope.write", ["lb"] = "load_balancer", ["pyroscope"] = "backend",
            },
            scenario.Kinds);
        Assert.Equal(
            new Dictionary<string, double>
            {
                ["agents.count"] = 200, ["scrapers.count"] = 3, ["w1.endpoints"] = 2, ["w2.endpoints"] = 1, ["r.conn_limit"] = 100,
                ["pyroscope.concurrency"] = 512,
            },
            scenario.ConfigMetrics);
    }

    [Fact]
    public void Unset_fields_take_the_alloy_and_model_defaults()
    {
        var p = Load(Minimal).Pipeline;
        Assert.Equal(new PipelineSpec { Name = "minimal", Duration = TimeSpan.FromMinutes(30), Sources = p.Sources, Components = p.Components, Links = p.Links, Faults = p.Faults }, p);
        var agents = Assert.Single(p.Sources);
        var defaults = new SourceSpec { Name = "agents", To = "w1" };
        Assert.Equal(defaults with { Count = 200, PhaseJitter = defaults.PushInterval, ProfileBytes = agents.ProfileBytes }, agents);
        Assert.Equal(defaults.ProfileBytes.ToString(), agents.ProfileBytes.ToString());

        var w1 = Assert.IsType<WriterSpec>(p.Components[0]);
        var endpoint = Assert.Single(w1.Options.Endpoints);
        Assert.Equal(new WriteEndpointOptions { Url = "http://r", Headers = endpoint.Headers }, endpoint);
        Assert.Empty(endpoint.Headers);
        Assert.Same(HttpTransportOptions.AlloyDefault, endpoint.Transport);
        Assert.Equal(new WriteOptions { Endpoints = w1.Options.Endpoints, ExternalLabels = w1.Options.ExternalLabels }, w1.Options);

        var r = Assert.IsType<ReceiverSpec>(p.Components[1]);
        Assert.Equal(new ReceiveHttpOptions(), r.Http);
        Assert.Equal(ReceiveHttpOptions.DefaultConnLimit, r.Http.ConnLimit);
        Assert.Equal(new ReceiverSpec { Name = "r", ForwardTo = r.ForwardTo, Http = r.Http }, r);

        var backend = Assert.IsType<BackendSpec>(p.Components[3]);
        var backendDefaults = new BackendSpec { Name = "pyroscope" };
        Assert.Equal(backendDefaults with { Latency = backend.Latency, Errors = backend.Errors, Outages = backend.Outages }, backend);
        Assert.Equal(backendDefaults.Latency.ToString(), backend.Latency.ToString());
        Assert.Empty(backend.Errors);
        Assert.Empty(backend.Outages);
    }

    [Fact]
    public void The_order_of_declarations_does_not_matter_and_the_name_defaults_to_the_file_stem()
    {
        const string yaml = """
            duration: 1m
            components:
              pyroscope: { kind: backend }
              w1: { kind: pyroscope.write, endpoints: [ { url: pyroscope } ] }
            expect: [ "a.pushes.total > 0" ]
            sources:
              a: { to: w1 }
            """;
        var result = ScenarioLoader.Parse(yaml, "dir/reordered.yaml");
        Assert.True(result.IsOk, string.Join("\n", result.Error ?? []));
        Assert.Equal("reordered", result.Value.Pipeline.Name);
    }

    [Fact]
    public void Anchors_and_merge_keys_share_settings()
    {
        string yaml = Minimal.Replace("w1: { kind: pyroscope.write, endpoints: [ { url: r } ] }",
            "w1: { kind: pyroscope.write, endpoints: [ { <<: &ep { remote_timeout: 30s, max_backoff_retries: 3 }, url: r } ] }")
            .Replace("{ url: pyroscope }", "{ <<: *ep, url: pyroscope, remote_timeout: 5s }");
        var p = Load(yaml).Pipeline;
        var w1 = Assert.IsType<WriterSpec>(p.Components[0]).Options.Endpoints[0];
        var w2 = Assert.IsType<WriterSpec>(p.Components[2]).Options.Endpoints[0];
        Assert.Equal((TimeSpan.FromSeconds(30), 3), (w1.RemoteTimeout, w1.MaxBackoffRetries));
        Assert.Equal((TimeSpan.FromSeconds(5), 3), (w2.RemoteTimeout, w2.MaxBackoffRetries));
    }

    [Fact]
    public void Loading_is_deterministic()
    {
        var a = ScenarioLoader.Parse(Full, File).Value!;
        var b = ScenarioLoader.Parse(Full, File).Value!;
        Assert.Equal(a.Pipeline.Sources, b.Pipeline.Sources, (x, y) => x.ToString() == y.ToString());
        Assert.Equal(a.Pipeline.Faults, b.Pipeline.Faults);
        Assert.Equal(a.Kinds, b.Kinds);
    }

    [Fact]
    public void A_file_that_cannot_be_read_is_one_problem()
    {
        string path = Path.Combine(Path.GetTempPath(), $"pipelinesim-missing-{Guid.NewGuid():N}.yaml");
        var result = ScenarioLoader.Load(path);
        var problem = Assert.Single(result.Error!);
        Assert.Equal((path, 1, 1, ""), (problem.File, problem.Position.Line, problem.Position.Column, problem.Path));
        Assert.StartsWith("cannot read the file: ", problem.Message);
    }

    [Fact]
    public void Load_reads_a_file_and_names_it_in_problems()
    {
        string path = Path.Combine(Path.GetTempPath(), $"pipelinesim-{Guid.NewGuid():N}.yaml");
        System.IO.File.WriteAllText(path, Minimal.Replace("count: 200", "count: -1"));
        try
        {
            Assert.Equal($"{path}:4:20: sources.agents.count: must be at least 1, found -1", Assert.Single(ScenarioLoader.Load(path).Error!).ToString());
            System.IO.File.WriteAllText(path, Minimal);
            Assert.True(ScenarioLoader.Load(path).IsOk);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }
}
