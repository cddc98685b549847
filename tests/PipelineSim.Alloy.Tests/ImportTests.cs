using PipelineSim.Alloy.Config;
using PipelineSim.Alloy.Import;
using PipelineSim.Core.Records;
using PipelineSim.Model;
using PipelineSim.Scenarios;
using PipelineSim.Scenarios.Expect;

namespace PipelineSim.Alloy.Tests;

public class ImportTests
{
    /// <summary>The receiver tier of a two-file pair: listens on 8080 and forwards to its own writer.</summary>
    internal const string ReceiverTier = """
        pyroscope.receive_http "tier" {
          http {
            listen_port = 8080
          }
          forward_to = [pyroscope.write.upstream.receiver]
        }

        pyroscope.write "upstream" {
          endpoint {
            url = "http://pyroscope.example:4040"
          }
        }
        """;

    /// <summary>The agents of the pair: eBPF profiles written to the receiver tier by name.</summary>
    internal const string Agents = """
        pyroscope.ebpf "default" {
          targets    = discovery.process.all.targets
          forward_to = [pyroscope.write.to_tier.receiver]
        }

        pyroscope.write "to_tier" {
          endpoint {
            url = "http://profiles-receiver.monitoring.svc:8080"
          }
        }
        """;

    internal static Scenario Validate(string yaml)
    {
        var loaded = ScenarioLoader.Parse(yaml, "imported.yaml");
        Assert.True(loaded.IsOk, loaded.IsOk ? "" : string.Join("\n", loaded.Error) + "\n" + yaml);
        return loaded.Value;
    }

    private static string Import(ImportOptions options, params (string Name, string Text)[] files)
    {
        var result = ScenarioImporter.Import(PipelineReader.Read(AlloyConfig.Read(files)), options);
        Assert.True(result.Yaml is not null, string.Join("\n", result.Problems));
        return result.Yaml!;
    }

    internal static IReadOnlyList<ExpectOutcome> Run(Scenario scenario)
    {
        var figures = new RecordFigures(new DiscardSink());
        var result = SimulationRun.Execute(scenario.Pipeline, figures);
        return scenario.CheckExpectations(new SimulationResultMetrics(result, scenario, figures));
    }

    [Fact]
    public void Import_of_09_validates_with_the_chain_and_Alloys_defaults()
    {
        string yaml = Import(new ImportOptions(), LintTests.CorpusFile("09"));
        var scenario = Validate(yaml);
        var spec = scenario.Pipeline;
        var source = Assert.Single(spec.Sources);
        Assert.Equal("local_proxy", source.To);
        Assert.Equal(TimeSpan.FromSeconds(15), source.PushInterval);
        Assert.Equal(TimeSpan.FromSeconds(15), source.FixedPushTimeout);
        Assert.Equal(["local_pyroscope", "local_proxy", "proxy", "backend_127_0_0_1"], spec.Components.Select(c => c.Name));
        Assert.Equal("pyroscope.receive_http", scenario.Kinds["proxy"]);
        Assert.Equal(16384, scenario.ConfigMetrics["proxy.conn_limit"]);
        Assert.Contains("    forward_to: [local_pyroscope]\n", yaml.ReplaceLineEndings("\n"));
        Assert.Contains("# pyroscope.receive_http \"proxy\" at " + Corpus.File("09") + ":44:1, listening on 0.0.0.0:4041", yaml);
        Assert.Contains("conn_limit: 16384 # (Alloy default)", yaml);
    }

    [Fact]
    public void Import_of_09_with_a_broken_idle_link_runs_and_shows_one_attempt_at_the_downstream_writer()
    {
        string yaml = Import(new ImportOptions { DropIdleFlowsAt = TimeSpan.FromMinutes(10) }, LintTests.CorpusFile("09"));
        Assert.Contains("local_pyroscope.attempts.max == 1", yaml);
        var outcomes = Run(Validate(yaml));
        Assert.NotEmpty(outcomes);
        Assert.All(outcomes, o => Assert.True(o.Passed, o.ToString()));
    }

    [Fact]
    public void Import_of_an_agents_and_receiver_tier_pair_joins_them_by_port_and_runs()
    {
        string yaml = Import(new ImportOptions { Agents = 30, DropIdleFlowsAt = TimeSpan.FromMinutes(10) },
            ("agents.alloy", Agents), ("receivers.alloy", ReceiverTier));
        var scenario = Validate(yaml);
        Assert.Equal(30, scenario.Pipeline.Sources.Single().Count);
        Assert.Contains("url: http://tier:8080", yaml);
        Assert.Contains("# pyroscope.receive_http \"tier\" at receivers.alloy:1:1", yaml);
        var outcomes = Run(scenario);
        Assert.Contains(outcomes, o => o.Expectation.ToString()!.Contains("upstream.attempts.max == 1"));
        Assert.All(outcomes, o => Assert.True(o.Passed, o.ToString()));
    }

    [Fact]
    public void Import_of_corpus_agents_10_with_receiver_tier_23_runs_and_shows_one_attempt_at_the_tier_writer()
    {
        string yaml = Import(new ImportOptions { Agents = 100, Duration = TimeSpan.FromMinutes(10), DropIdleFlowsAt = TimeSpan.FromMinutes(5) },
            LintTests.CorpusFile("10"), LintTests.CorpusFile("23"));
        Assert.Contains("forward_to: [pyro]", yaml);
        Assert.Contains("# forwards through pyroscope.relabel \"default\" in profiles_receiver.feature", yaml);
        var outcomes = Run(Validate(yaml));
        Assert.Contains(outcomes, o => o.Expectation.ToString()!.Contains("pyro.attempts.max == 1"));
        Assert.All(outcomes, o => Assert.True(o.Passed, o.ToString()));
    }

    [Fact]
    public void A_receiver_that_forwards_nowhere_becomes_a_backend_for_the_writers_posting_to_it()
    {
        const string sink = """
            pyroscope.receive_http "sink" {
              forward_to = []
            }
            """;
        string yaml = Import(new ImportOptions(), ("agents.alloy", Agents), ("sink.alloy", sink));
        var scenario = Validate(yaml);
        Assert.Equal("backend", scenario.Kinds["profiles_receiver_monitoring_svc"]);
    }

    [Fact]
    public void Import_refuses_a_config_Alloy_would_reject()
    {
        var result = ScenarioImporter.Import(PipelineReader.Read(AlloyConfig.Read([LintTests.CorpusFile("03")])), new ImportOptions());
        Assert.Null(result.Yaml);
        Assert.Contains(result.Problems, p => p.Contains("missing required attribute \"forward_to\""));
    }

    private sealed class DiscardSink : IRecordSink
    {
        public void OnPush(in PushRecord push) { }

        public void OnAttempt(in AttemptRecord attempt) { }

        public void OnSample(in MetricSample sample) { }
    }
}
