namespace PipelineSim.Scenarios.Tests;

using static ScenarioText;

/// <summary>Every class of problem, with the exact line, column, path and message the user sees.</summary>
public class ValidationTests
{
    [Fact]
    public void The_minimal_scenario_is_valid() => Load(Minimal);

    [Fact]
    public void Unknown_key_suggests_the_nearest_known_key()
    {
        string yaml = Minimal.Replace("{ url: r }", "{ url: r, remote_timout: 10s }");
        Assert.Equal(
            "s.yaml:6:55: components.w1.endpoints[0].remote_timout: unknown key \"remote_timout\" (did you mean \"remote_timeout\"?)",
            Problem(yaml));
    }

    [Fact]
    public void Unknown_key_without_a_near_match_lists_the_known_keys()
    {
        string yaml = Minimal.Replace("{ count: 200, to: w1 }", "{ count: 200, to: w1, colour: red }");
        Assert.Equal(
            "s.yaml:4:33: sources.agents.colour: unknown key \"colour\" (expected one of: arrivals, count, phase_jitter, profile_bytes, " +
            "profiles_per_push, push_interval, push_timeout, start, stop, to, writer)",
            Problem(yaml));
    }

    [Fact]
    public void Alloys_forward_to_on_a_source_is_answered_with_our_to()
    {
        // An SRE used to Alloy writes the source's writer as Alloy does.
        string yaml = Minimal.Replace("{ count: 200, to: w1 }", "{ count: 200, forward_to: [w1] }");
        var problems = Problems(yaml);
        Assert.Contains(problems, p => p.StartsWith("s.yaml:4:") && p.Contains("sources.agents.forward_to: unknown key \"forward_to\" " +
            "(forward_to is Alloy's word: a scenario source names its writer with \"to\""));
        Assert.Contains(problems, p => p.Contains("missing required key \"to\""));
    }

    [Theory]
    [InlineData("../elsewhere")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("")]
    public void The_name_must_stay_one_directory_under_runs(string name)
    {
        // run writes to runs/NAME unless --out says otherwise.
        string problem = Problem(Minimal.Replace("name: minimal", $"name: \"{name}\""));
        Assert.StartsWith("s.yaml:1:7: name: ", problem);
        Assert.Contains("cannot name the output directory", problem);
    }

    [Theory]
    [InlineData("max_request_body: 0", "s.yaml:7:75: components.r.max_request_body: must be at least 1 byte")]
    [InlineData("max_request_body: lots", "s.yaml:7:75: components.r.max_request_body: ")]
    [InlineData("accept_backlog: 0", "s.yaml:7:73: components.r.accept_backlog: ")]
    // Range rules are ReceiverSpec.Validate's; the file reports them at the value, nested paths included.
    [InlineData("server_read_timeout: -1s", "s.yaml:7:78: components.r.server_read_timeout: must not be negative (0 means none, as in Go)")]
    [InlineData("http2: { ping_timeout: 0s }", "s.yaml:7:80: components.r.http2.ping_timeout: must be positive")]
    public void A_receivers_bad_limit_names_file_line_and_field(string field, string expected)
    {
        string yaml = Minimal.Replace("{ kind: pyroscope.receive_http, forward_to: [w2] }", $"{{ kind: pyroscope.receive_http, forward_to: [w2], {field} }}");
        Assert.StartsWith(expected, Problem(yaml));
    }

    [Fact]
    public void Unknown_top_level_key()
    {
        Assert.Equal("s.yaml:10:1: seeed: unknown key \"seeed\" (did you mean \"seed\"?)", Problem(Minimal + "\nseeed: 7"));
    }

    [Fact]
    public void Wrong_type_of_scalar()
    {
        string yaml = Minimal.Replace("{ url: r }", "{ url: r, remote_timeout: 10 }");
        Assert.Equal(
            "s.yaml:6:71: components.w1.endpoints[0].remote_timeout: invalid duration \"10\": missing unit " +
            "(expected a number followed by ns, us, µs, ms, s, m or h, like 500ms or 1m30s)",
            Problem(yaml));
    }

    [Fact]
    public void Wrong_shape_where_a_single_value_is_expected()
    {
        string yaml = Minimal.Replace("count: 200", "count: [200]");
        Assert.Equal("s.yaml:4:20: sources.agents.count: expected a single value, found a list", Problem(yaml));
    }

    [Fact]
    public void Wrong_shape_where_a_mapping_is_expected()
    {
        string yaml = Minimal.Replace("pyroscope: { kind: backend }", "pyroscope: backend");
        Assert.Equal("s.yaml:9:14: components.pyroscope: expected a mapping (key: value pairs), found \"backend\"", Problem(yaml));
    }

    [Fact]
    public void Missing_required_keys_point_at_their_mapping()
    {
        string yaml = Minimal.Replace("duration: 30m\n", "").Replace("{ url: r }", "{ remote_timeout: 10s }");
        Assert.Equal(
            [
                "s.yaml:1:1: duration: missing required key \"duration\"",
                "s.yaml:5:45: components.w1.endpoints[0].url: missing required key \"url\"",
            ],
            Problems(yaml));
    }

    [Fact]
    public void Missing_kind_and_unknown_kind_do_not_cascade_into_reference_problems()
    {
        string yaml = Minimal.Replace("{ kind: backend }", "{ latency: 1s }").Replace("kind: pyroscope.receive_http", "kind: pyroscope.recieve_http");
        Assert.Equal(
            [
                "s.yaml:7:15: components.r.kind: expected one of pyroscope.write, pyroscope.receive_http, backend, load_balancer, " +
                "found \"pyroscope.recieve_http\" (did you mean \"pyroscope.receive_http\"?)",
                "s.yaml:9:14: components.pyroscope.kind: missing required key \"kind\"",
            ],
            Problems(yaml));
    }

    [Fact]
    public void Dangling_references_suggest_a_declared_name()
    {
        string yaml = Minimal.Replace("to: w1", "to: w3").Replace("forward_to: [w2]", "forward_to: [w2, w22]");
        Assert.Equal(
            [
                "s.yaml:4:29: sources.agents.to: to \"w3\" names no component or source (did you mean \"w1\"?)",
                "s.yaml:7:56: components.r.forward_to[1]: forward_to \"w22\" names no component or source (did you mean \"w2\"?)",
            ],
            Problems(yaml));
    }

    [Fact]
    public void References_must_name_the_right_kind()
    {
        string yaml = Minimal.Replace("forward_to: [w2]", "forward_to: [pyroscope]").Replace("{ url: r }", "{ url: w2 }");
        Assert.Equal(
            [
                "s.yaml:6:52: components.w1.endpoints[0].url: url \"w2\" is a pyroscope.write, but must be a pyroscope.receive_http, a backend or a load_balancer",
                "s.yaml:7:52: components.r.forward_to[0]: forward_to \"pyroscope\" is a backend, but must be a pyroscope.write",
            ],
            Problems(yaml));
    }

    [Fact]
    public void Url_forms_and_url_problems()
    {
        var scenario = Load(Minimal.Replace("{ url: r }", "{ url: \"https://r:4040/base\" }"));
        var w1 = Assert.IsType<Spec.WriterSpec>(scenario.Pipeline.Components[0]);
        Assert.Equal("https://r:4040/base", w1.Options.Endpoints[0].Url);
        var w2 = Assert.IsType<Spec.WriterSpec>(scenario.Pipeline.Components[2]);
        Assert.Equal("http://pyroscope", w2.Options.Endpoints[0].Url);

        Assert.Equal(
            "s.yaml:6:52: components.w1.endpoints[0].url: unsupported scheme \"grpc\" in \"grpc://r\" (expected http:// or https://)",
            Problem(Minimal.Replace("{ url: r }", "{ url: grpc://r }")));
        Assert.Equal(
            "s.yaml:6:59: components.w1.endpoints[0].url: url \"rr\" names no component or source (did you mean \"r\"?)",
            Problem(Minimal.Replace("{ url: r }", "{ url: http://rr:80 }")));
        Assert.Equal(
            "s.yaml:6:61: components.w1.endpoints[0].url: malformed URL \"http://r:x\" (expected [http[s]://]component[:port][/path])",
            Problem(Minimal.Replace("{ url: r }", "{ url: \"http://r:x\" }")));
    }

    [Fact]
    public void Cycles_in_the_push_path_are_reported_once_with_the_loop()
    {
        string yaml = Minimal.Replace("endpoints: [ { url: pyroscope } ]", "endpoints: [ { url: r } ]");
        Assert.Equal(
            "s.yaml:8:52: components.w2.endpoints[0].url: cycle in the push path: r -> w2 -> r (a push would travel around it forever)",
            Problem(yaml));
    }

    [Fact]
    public void Cycles_through_a_load_balancer()
    {
        string yaml = Minimal
            .Replace("endpoints: [ { url: pyroscope } ]", "endpoints: [ { url: lb } ]")
            .Replace("pyroscope: { kind: backend }", "lb: { kind: load_balancer, targets: [r] }");
        Assert.Equal(
            "s.yaml:9:40: components.lb.targets[0]: cycle in the push path: r -> w2 -> lb -> r (a push would travel around it forever)",
            Problem(yaml));
    }

    [Theory]
    [InlineData("{ url: r }", "{ url: r, remote_timeout: -1s }", "s.yaml:6:71: components.w1.endpoints[0].remote_timeout: must not be negative")]
    [InlineData("{ url: r }", "{ url: r, debug_info_upload_timeout: -1s }", "s.yaml:6:82: components.w1.endpoints[0].debug_info_upload_timeout: must not be negative")]
    [InlineData("{ url: r }", "{ url: r, min_backoff_period: -5ms }", "s.yaml:6:75: components.w1.endpoints[0].min_backoff_period: must not be negative")]
    [InlineData("{ url: r }", "{ url: r, max_backoff_retries: -1 }", "s.yaml:6:76: components.w1.endpoints[0].max_backoff_retries: must not be negative (0 retries for ever)")]
    [InlineData("forward_to: [w2]", "forward_to: [w2], conn_limit: -1", "s.yaml:7:69: components.r.conn_limit: must not be negative (0 means no limit)")]
    [InlineData("count: 200", "count: 0", "s.yaml:4:20: sources.agents.count: must be at least 1, found 0")]
    [InlineData("count: 200", "count: 2.5", "s.yaml:4:20: sources.agents.count: expected a whole number, found \"2.5\"")]
    [InlineData("count: 200", "count: 200, profiles_per_push: 0", "s.yaml:4:44: sources.agents.profiles_per_push: must be at least 1, found 0")]
    [InlineData("count: 200", "count: 200, push_interval: 0s", "s.yaml:4:40: sources.agents.push_interval: must be positive")]
    [InlineData("count: 200", "count: 200, push_interval: 1ns", "s.yaml:4:40: sources.agents.push_interval: invalid duration \"1ns\": finer than 100ns, the tick the simulation counts time in (use a whole multiple of 100ns)")]
    [InlineData("{ kind: backend }", "{ kind: backend, concurrency: -2 }", "s.yaml:9:44: components.pyroscope.concurrency: must not be negative (0 means no limit)")]
    [InlineData("duration: 30m", "duration: -30m", "s.yaml:2:11: duration: must be greater than 0s")]
    [InlineData("duration: 30m", "duration: 30m\nsample_step: 0s", "s.yaml:3:14: sample_step: must be greater than 0s")]
    public void Impossible_values(string find, string replace, string problem) =>
        Assert.Equal(problem, Problem(Minimal.Replace(find, replace)));

    [Theory]
    [InlineData("lognormal(mean: -1KiB, sigma: 0.5)", "s.yaml:4:45: sources.agents.profile_bytes: mean cannot be negative in \"lognormal(mean: -1KiB, sigma: 0.5)\"")]
    [InlineData("lognormal(60KiB)", "s.yaml:4:44: sources.agents.profile_bytes: lognormal is missing \"sigma\" (it takes (mean, sigma)) in \"lognormal(60KiB)\"")]
    [InlineData("normal(60KiB, 1KiB)", "s.yaml:4:29: sources.agents.profile_bytes: unknown distribution \"normal\" (did you mean \"lognormal\"?) (expected one of constant, uniform, exponential, lognormal, empirical) in \"normal(60KiB, 1KiB)\"")]
    [InlineData("uniform(1s, 2s)", "s.yaml:4:37: sources.agents.profile_bytes: expected a size (like 60KiB) for min, found \"1s\" in \"uniform(1s, 2s)\"")]
    [InlineData("lognormal(1e300, 0.5)", "s.yaml:4:39: sources.agents.profile_bytes: mean must be at most 1GiB, found \"1e300\" (no profile comes near it, and byte counters would overflow) in \"lognormal(1e300, 0.5)\"")]
    [InlineData("empirical([1KiB, 2GiB])", "s.yaml:4:46: sources.agents.profile_bytes: values must be at most 1GiB, found \"2GiB\" (no profile comes near it, and byte counters would overflow) in \"empirical([1KiB, 2GiB])\"")]
    [InlineData("1025MiB", "s.yaml:4:29: sources.agents.profile_bytes: the value must be at most 1GiB, found \"1025MiB\" (no profile comes near it, and byte counters would overflow) in \"1025MiB\"")]
    public void Distribution_problems_point_inside_the_value(string value, string problem) =>
        Assert.Equal(problem, Problem(Minimal.Replace("count: 200", $"profile_bytes: \"{value}\"")));

    [Fact]
    public void A_profile_of_1GiB_is_the_largest_accepted()
    {
        var scenario = Load(Minimal.Replace("count: 200", "count: 200, profile_bytes: \"uniform(1KiB, 1GiB)\""));
        Assert.Equal((1024 + (1L << 30)) / 2.0, scenario.Pipeline.Sources[0].ProfileBytes.Mean);
    }

    [Fact]
    public void Unquoted_named_arguments_in_block_style_get_a_quoting_hint()
    {
        string yaml = Minimal.Replace("pyroscope: { kind: backend }", "pyroscope:\n    kind: backend\n    latency: lognormal(mean: 700ms, sigma: 0.4)");
        Assert.Equal(
            "s.yaml:11:28: YAML syntax error: While scanning a plain scalar value, found invalid mapping. " +
            "(a value with \": \" inside, like lognormal(mean: 700ms, sigma: 0.4), must be quoted: \"lognormal(mean: 700ms, sigma: 0.4)\")",
            Problem(yaml));
        Assert.Empty(Load(yaml.Replace("latency: lognormal(mean: 700ms, sigma: 0.4)", "latency: lognormal(700ms, 0.4)")).Expectations);
    }

    [Fact]
    public void Unquoted_commas_inside_flow_mappings_get_a_quoting_hint()
    {
        string yaml = Minimal.Replace("count: 200", "count: 200, profile_bytes: lognormal(60KiB, 0.5)");
        Assert.Equal(
            [
                "s.yaml:4:55: sources.agents.profile_bytes: expected \")\", found the end in \"lognormal(60KiB\" " +
                "(inside { } or [ ] YAML cuts an unquoted value at a comma: quote it, like \"lognormal(60KiB, 0.5)\")",
                "s.yaml:4:57: sources.agents.0.5): unknown key \"0.5)\" (it looks like the rest of a value that YAML cut at a comma: quote the whole value)",
            ],
            Problems(yaml));
    }

    [Fact]
    public void Names_are_unique_across_sources_and_components_and_must_be_identifiers()
    {
        string yaml = Minimal.Replace("  pyroscope: { kind: backend }", "  pyroscope: { kind: backend }\n  agents: { kind: backend }\n  my-backend: { kind: backend }");
        Assert.Equal(
            [
                "s.yaml:10:3: components.agents: the name \"agents\" is already used by the source at line 4",
                "s.yaml:11:3: components.my-backend: \"my-backend\" is not a valid name (letters, digits and underscores, not starting with a digit)",
            ],
            Problems(yaml));
    }

    [Fact]
    public void Links_must_join_components_that_connect()
    {
        string yaml = Minimal + """

            links:
              - { from: w2, to: pyroscope, rtt: 20ms, middlebox: { idle_timeout: 240s, mode: silent } }
              - { from: w1, to: pyroscope }
              - { from: w2, to: pyroscope }
              - { from: r, to: w2 }
              - { from: w1, to: r, middlebox: { idle_timeout: 0s, mode: drop } }
            """;
        Assert.Equal(
            [
                "s.yaml:12:13: links[1].from: w1 never connects to pyroscope: no endpoint url or load balancer target of w1 names pyroscope",
                "s.yaml:13:5: links[2]: the link w2->pyroscope is already described at line 11",
                "s.yaml:14:13: links[3].from: from \"r\" is a pyroscope.receive_http, but must be a pyroscope.write or a load_balancer",
                "s.yaml:14:20: links[3].to: to \"w2\" is a pyroscope.write, but must be a pyroscope.receive_http, a backend or a load_balancer",
                "s.yaml:15:51: links[4].middlebox.idle_timeout: must be greater than 0s",
                "s.yaml:15:61: links[4].middlebox.mode: expected one of silent, rst, found \"drop\"",
            ],
            Problems(yaml));
    }

    [Fact]
    public void Fault_problems()
    {
        string yaml = Minimal + """

            faults:
              - { at: 10m, kind: drop-idle-flows, link: w2->pyroscope }
              - { at: 40m, kind: partition, link: w1->pyroscope, duration: 1m }
              - { at: 1m, kind: backend-outage, backend: r, duration: 0s }
              - { at: 1m, kind: restart, component: pyroscope, downtime: -1s }
              - { kind: random-link-breaks, link: w2, rate_per_connection_hour: 0 }
              - { at: 1m, kind: drop-idle-flow, link: w2->pyroscope }
            """;
        Assert.Equal(
            [
                "s.yaml:12:11: faults[1].at: is not before the end of the run (duration 30m0s)",
                "s.yaml:12:39: faults[1].link: w1 never connects to pyroscope: no endpoint url or load balancer target of w1 names pyroscope",
                "s.yaml:13:46: faults[2].backend: backend \"r\" is a pyroscope.receive_http, but must be a backend",
                "s.yaml:13:59: faults[2].duration: must be greater than 0s",
                "s.yaml:14:62: faults[3].downtime: must not be negative",
                "s.yaml:15:39: faults[4].link: expected a link as from->to (like w2->pyroscope), found \"w2\"",
                "s.yaml:15:69: faults[4].rate_per_connection_hour: must be greater than 0",
                "s.yaml:16:21: faults[5].kind: expected one of drop-idle-flows, partition, backend-outage, restart, random-link-breaks, " +
                "found \"drop-idle-flow\" (did you mean \"drop-idle-flows\"?)",
            ],
            Problems(yaml));
    }

    [Fact]
    public void Load_balancer_l7_settings_on_an_l4_balancer()
    {
        string yaml = Minimal
            .Replace("{ url: r }", "{ url: lb }")
            .Replace("  pyroscope: { kind: backend }", "  pyroscope: { kind: backend }\n  lb: { kind: load_balancer, targets: [r], request_timeout: 5s }");
        Assert.Equal("s.yaml:10:61: components.lb.request_timeout: applies to layer l7 only (this load balancer is l4)", Problem(yaml));
    }

    [Fact]
    public void Rules_only_the_model_knows_still_come_with_a_position()
    {
        // The model's SpecValidator runs on a spec the reader accepted; its problems are placed by their paths.
        string yaml = Minimal
            .Replace("{ url: r }", "{ url: lb1 }")
            .Replace("pyroscope: { kind: backend }",
                "pyroscope: { kind: backend, errors: [ { code: internal, probability: 0.7 }, { code: unavailable, probability: 0.7 } ] }\n" +
                "  lb1: { kind: load_balancer, targets: [lb2] }\n" +
                "  lb2: { kind: load_balancer, targets: [r] }");
        Assert.Equal(
            [
                "s.yaml:9:39: components.pyroscope.errors: the probabilities add up to more than 1",
                "s.yaml:10:41: components.lb1.targets[0]: 'lb2' is an L4 load balancer, which cannot be a target here",
            ],
            Problems(yaml));
    }

    [Fact]
    public void A_value_out_of_range_and_a_rule_across_components_come_in_one_pass()
    {
        // conn_limit is ReceiverSpec.Validate's rule; the value is read whole, so the checks across components still run.
        string yaml = Minimal
            .Replace("{ url: r }", "{ url: lb1 }")
            .Replace("forward_to: [w2] }", "forward_to: [w2], conn_limit: -1 }")
            .Replace("pyroscope: { kind: backend }",
                "pyroscope: { kind: backend }\n" +
                "  lb1: { kind: load_balancer, targets: [lb2] }\n" +
                "  lb2: { kind: load_balancer, targets: [r] }");
        Assert.Equal(
            [
                "s.yaml:7:69: components.r.conn_limit: must not be negative (0 means no limit)",
                "s.yaml:10:41: components.lb1.targets[0]: 'lb2' is an L4 load balancer, which cannot be a target here",
            ],
            Problems(yaml));
    }

    [Fact]
    public void A_writers_transport_rule_from_the_type_names_the_field_in_the_transport_block()
    {
        // WriterSpec.Validate: an HTTP/2 endpoint needs its read-idle health check on (positive).
        string yaml = Minimal.Replace("{ url: r }", "{ url: \"https://r\", enable_http2: true, transport: { http2_read_idle_timeout: 0s } }");
        Assert.Equal(["s.yaml:6:123: components.w1.endpoints[0].transport.http2_read_idle_timeout: must be positive"], Problems(yaml));
    }

    [Fact]
    public void Sources_must_exist_and_start_within_the_run()
    {
        Assert.Equal("s.yaml:3:10: sources: needs at least one source (nothing would push)",
            Problems(Minimal.Replace("sources:\n  agents: { count: 200, to: w1 }", "sources: {}"))[0]);
        Assert.Equal("s.yaml:4:32: sources.agents.start: is not before the end of the run (duration 30m0s): the source would never push",
            Problem(Minimal.Replace("count: 200", "count: 200, start: 30m")));
        Assert.Equal("s.yaml:4:30: sources.agents.stop: must be later than start",
            Problem(Minimal.Replace("count: 200", "start: 5m, stop: 5m")));
    }

    [Fact]
    public void Empty_file_and_non_mapping_root()
    {
        Assert.Equal("s.yaml:1:1: the file is empty (expected a scenario: name, duration, sources, components)", Problem(""));
        Assert.Equal("s.yaml:1:1: expected a mapping (key: value pairs), found a list", Problem("- a\n- b\n"));
    }

    [Fact]
    public void Every_problem_is_reported_at_once_in_file_order()
    {
        const string yaml = """
            name: broken
            duration: 10
            seed: -1
            sources:
              agents: { count: 0, push_interval: 15s, profile_bytes: lognormal(60KiB), to: w9 }
            components:
              w1:
                kind: pyroscope.write
                endpoints:
                  - url: r
                    remote_timeout: -10s
                    max_backof_retries: 3
              r:
                kind: pyroscope.receive_http
                conn_limit: -5
                forward_to: [w1]
            expect:
              - w1.pushes.failed > 0
              - w7.pushes.failed > 0
              - r.connections.peak <= 2s
            """;
        Assert.Equal(
            [
                "s.yaml:2:11: duration: invalid duration \"10\": missing unit (expected a number followed by ns, us, µs, ms, s, m or h, like 500ms or 1m30s)",
                "s.yaml:3:7: seed: expected a whole number from 0 to 18446744073709551615, found \"-1\"",
                "s.yaml:5:20: sources.agents.count: must be at least 1, found 0",
                "s.yaml:5:73: sources.agents.profile_bytes: lognormal is missing \"sigma\" (it takes (mean, sigma)) in \"lognormal(60KiB)\"",
                "s.yaml:5:80: sources.agents.to: to \"w9\" names no component or source (did you mean \"w1\"?)",
                "s.yaml:11:25: components.w1.endpoints[0].remote_timeout: must not be negative",
                "s.yaml:12:9: components.w1.endpoints[0].max_backof_retries: unknown key \"max_backof_retries\" (did you mean \"max_backoff_retries\"?)",
                "s.yaml:15:17: components.r.conn_limit: must not be negative (0 means no limit)",
                "s.yaml:16:18: components.r.forward_to[0]: cycle in the push path: w1 -> r -> w1 (a push would travel around it forever)",
                "s.yaml:19:5: expect[1]: unknown component \"w7\" (did you mean \"w1\"?) in \"w7.pushes.failed > 0\"",
                "s.yaml:20:24: expect[2]: compares a number with seconds in \"r.connections.peak <= 2s\"",
            ],
            Problems(yaml));
    }
}
