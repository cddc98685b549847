using PipelineSim.Alloy.Config;
using PipelineSim.Alloy.Evaluation;
using PipelineSim.Alloy.Import;
using PipelineSim.Alloy.Lint;
using PipelineSim.Alloy.Syntax;

namespace PipelineSim.Alloy.Tests;

/// <summary>What each corpus file means once read: Alloy's verdict, the pipeline, and a scenario that validates.</summary>
public class CorpusOutcomeTests
{
    private static PyroscopePipeline Read(params string[] numbers) =>
        PipelineReader.Read(AlloyConfig.Read(numbers.Select(LintTests.CorpusFile)));

    [Theory]
    [MemberData(nameof(Corpus.Numbers), MemberType = typeof(Corpus))]
    public void Every_corpus_file_reads_lints_and_imports_to_a_valid_scenario_or_says_why_not(string number)
    {
        var pipeline = Read(number);
        var report = Linter.Lint(pipeline, new LintOptions { Agents = 100 });
        Assert.NotEqual(2, report.ExitCode);
        // Every name these real configs use is one Alloy accepts.
        Assert.DoesNotContain(pipeline.Problems, p => p.Message.StartsWith("unrecognized"));
        Assert.All(report.Findings, f => Assert.All(f.At, at => Assert.True(at.Line >= 1 && at.Column >= 1 && at.File.EndsWith(".alloy"))));

        var imported = ScenarioImporter.Import(pipeline, new ImportOptions { Name = "corpus" + number });
        if (imported.Yaml is null)
        {
            Assert.NotEmpty(imported.Problems);
            return;
        }
        var scenario = ImportTests.Validate(imported.Yaml);
        Assert.NotEmpty(scenario.Pipeline.Sources);
    }

    [Fact]
    public void File_07_is_rejected_for_the_reason_Alloy_gives()
    {
        var pipeline = Read("07");
        var error = Assert.Single(pipeline.Problems, p => p.Severity == Severity.Error);
        Assert.Equal("at most one of basic_auth, authorization, oauth2, bearer_token & bearer_token_file must be configured", error.Message);
        Assert.Equal((3, 2), (error.At.Line, error.At.Column));
        Assert.EndsWith("07-write-test-invalid-two-auth-methods-body.alloy", error.At.File);
        Assert.Equal(1, Linter.Lint(pipeline, new LintOptions()).ExitCode);
    }

    [Fact]
    public void Fragment_03_parses_and_is_an_incomplete_receiver_without_forward_to()
    {
        var pipeline = Read("03");
        Assert.Empty(pipeline.Config.Errors);
        Assert.Equal(32768, Assert.Single(pipeline.Receivers).Options.ConnLimit);
        Assert.Contains(pipeline.Incomplete, i => i.AlloyRejects && i.Reason == "missing required attribute \"forward_to\"");
    }

    [Theory]
    [InlineData("04", "w1", 30)]
    [InlineData("05", "w2", 3)]
    public void Fragments_04_and_05_parse_and_are_incomplete_writers(string number, string label, int seconds)
    {
        var pipeline = Read(number);
        Assert.Empty(pipeline.Config.Errors);
        var endpoint = Assert.Single(pipeline.Endpoints);
        Assert.Equal(label, endpoint.Writer.Component.Label);
        Assert.Equal(TimeSpan.FromSeconds(seconds), endpoint.Options.RemoteTimeout);
        Assert.Contains(pipeline.Incomplete, i => !i.AlloyRejects && i.Reason.StartsWith("placeholder \"// ... other settings\""));
        Assert.DoesNotContain(pipeline.Problems, p => p.Severity == Severity.Error);
    }

    [Fact]
    public void Body_06_is_a_write_with_two_endpoints_and_their_own_backoff()
    {
        var endpoints = Read("06").Endpoints.ToList();
        Assert.Equal(["http://localhost:4100", "http://localhost:4200"], endpoints.Select(e => e.Options.Url));
        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)], endpoints.Select(e => e.Options.RemoteTimeout));
        Assert.Equal(TimeSpan.FromMilliseconds(500), endpoints[0].Options.MinBackoffPeriod); // Alloy's default
        Assert.Equal(TimeSpan.FromSeconds(1), endpoints[1].Options.MinBackoffPeriod);
        Assert.Equal(TimeSpan.FromSeconds(10), endpoints[1].Options.MaxBackoffPeriod);
    }

    [Fact]
    public void Body_08_is_the_server_config_receive_http_takes()
    {
        var o = Assert.Single(Read("08").Receivers).Options;
        Assert.Equal(("0.0.0.0", 1, 2), (o.ListenAddress, o.ListenPort, o.ConnLimit));
        Assert.Equal((TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(1)),
            (o.ServerReadTimeout, o.ServerWriteTimeout, o.ServerIdleTimeout, o.GracefulShutdownTimeout));
    }

    [Fact]
    public void File_09_is_the_chain_with_Alloys_defaults()
    {
        var pipeline = Read("09");
        var source = Assert.Single(pipeline.Sources);
        Assert.Equal(TimeSpan.FromSeconds(15), source.Interval); // collect_interval default
        var upstream = Assert.Single(source.ForwardTo);
        var receiver = upstream.Endpoints.Single().Target;
        Assert.NotNull(receiver);
        Assert.Equal("proxy", receiver.Component.Label);
        Assert.Equal(4041, receiver.Options.ListenPort);
        Assert.Equal("local_pyroscope", Assert.Single(receiver.ForwardTo).Component.Label);
        Assert.Equal(16384, receiver.Options.ConnLimit);
    }

    [Fact]
    public void File_16s_url_is_an_assumed_fallback_naming_the_environment_variable()
    {
        var pipeline = Read("16");
        Assert.Equal("http://localhost:4040", Assert.Single(pipeline.Endpoints).Options.Url);
        Assert.Contains(pipeline.Assumptions, a => a.Text.Contains("sys.env(\"PYROSCOPE_HOST\")") && a.Text.Contains("--env PYROSCOPE_HOST=VALUE"));
    }

    [Fact]
    public void An_environment_variable_supplied_with_env_replaces_the_assumption()
    {
        var inputs = new AlloyInputs { Environment = new Dictionary<string, string> { ["PYROSCOPE_HOST"] = "pyro.example:4040" } };
        var pipeline = PipelineReader.Read(AlloyConfig.Read([LintTests.CorpusFile("16")], inputs));
        Assert.Equal("http://pyro.example:4040", Assert.Single(pipeline.Endpoints).Options.Url);
        Assert.Empty(pipeline.Assumptions);
    }

    [Fact]
    public void A_set_value_overrides_an_attribute_by_its_path()
    {
        // The guide's second fix, as lint computes it for 09: lower the downstream writer's remote_timeout.
        var inputs = new AlloyInputs { Settings = new Dictionary<string, AlloyValue> { ["pyroscope.write.local_pyroscope.endpoint.remote_timeout"] = new StringValue("4.5s") } };
        var pipeline = PipelineReader.Read(AlloyConfig.Read([LintTests.CorpusFile("09")], inputs));
        Assert.Equal(TimeSpan.FromSeconds(4.5), pipeline.Writers.Single(w => w.Component.Label == "local_pyroscope").Endpoints[0].Options.RemoteTimeout);
        Assert.DoesNotContain(Linter.Lint(pipeline, new LintOptions()).Findings, f => f.Code == "timeout-chain");
    }

    [Fact]
    public void A_set_path_that_names_nothing_is_an_error_not_silently_ignored()
    {
        var inputs = new AlloyInputs { Settings = new Dictionary<string, AlloyValue> { ["pyroscope.write.local_pyroscope.endpoint.remote_timout"] = new StringValue("4s") } };
        var pipeline = PipelineReader.Read(AlloyConfig.Read([LintTests.CorpusFile("09")], inputs));
        var problem = Assert.Single(pipeline.Problems, p => p.Severity == Severity.Error);
        Assert.StartsWith("--set:1:1: error: --set pyroscope.write.local_pyroscope.endpoint.remote_timout: no attribute", problem.ToString());
    }

    [Fact]
    public void A_misspelt_attribute_is_rejected_with_the_nearest_name_as_Alloy_would_reject_it()
    {
        const string config = """
            pyroscope.write "w" {
              endpoint {
                url           = "http://a:4040"
                remote_timout = "30s"
              }
            }
            pyroscope.receive_http "r" {
              http {
                conn_limt = 100
              }
              forward_to = [pyroscope.write.w.receiver]
            }
            """;
        var errors = PipelineReader.Read(AlloyConfig.Read([("c.alloy", config)])).Problems.Where(p => p.Severity == Severity.Error).Select(p => p.ToString());
        Assert.Equal([
            "c.alloy:4:5: error: unrecognized attribute name \"remote_timout\" in endpoint (did you mean \"remote_timeout\"?)",
            "c.alloy:9:5: error: unrecognized attribute name \"conn_limt\" in http (did you mean \"conn_limit\"?)",
        ], errors);
    }

    [Fact]
    public void File_23s_custom_component_forwards_through_its_argument_to_the_top_level_writer()
    {
        var pipeline = Read("23");
        var receiver = Assert.Single(pipeline.Receivers);
        Assert.Equal("profiles_receiver.feature/pyroscope.receive_http.default", receiver.Component.Id);
        Assert.Equal("pyroscope.write.pyro", Assert.Single(receiver.ForwardTo).Component.Id);
        Assert.Equal("profiles_receiver.feature/pyroscope.relabel.default", Assert.Single(receiver.Through).Id);
    }

    [Fact]
    public void File_24s_eight_pipelines_in_a_declare_reach_the_writer_through_its_argument()
    {
        var pipeline = Read("24");
        Assert.Equal(8, pipeline.Sources.Count);
        Assert.All(pipeline.Sources, s => Assert.Equal("pyroscope.write.pyroscope", Assert.Single(s.ForwardTo).Component.Id));
        Assert.Contains(pipeline.NotModelled, n => n.What.StartsWith("an HTTP proxy (proxy_url)"));
    }

    [Fact]
    public void File_25s_credentials_and_url_from_a_secret_stay_unknown_with_their_position()
    {
        var endpoint = Assert.Single(Read("25").Endpoints);
        Assert.Null(endpoint.Url);
        Assert.Contains(Read("25").Assumptions, a => a.Text.Contains("remote.kubernetes.secret.profiles_service"));
    }

    [Fact]
    public void File_29s_module_is_read_without_an_instance_and_says_so()
    {
        var pipeline = Read("29");
        Assert.Contains(pipeline.Config.Notes, n => n.Message.StartsWith("declare \"stack\" is not instantiated"));
        Assert.Equal("declare.stack/pyroscope.write.default", Assert.Single(pipeline.Writers).Component.Id);
    }

    [Fact]
    public void Writers_in_one_file_reach_a_receiver_only_over_loopback()
    {
        // 13's writer posts to http://pyroscope:4040, another host, though its own receiver listens on 4040.
        Assert.All(Read("13").Endpoints, e => Assert.Null(e.Target));
    }
}
