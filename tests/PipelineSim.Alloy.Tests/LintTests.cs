using PipelineSim.Alloy.Config;
using PipelineSim.Alloy.Lint;

namespace PipelineSim.Alloy.Tests;

public class LintTests
{
    internal static LintReport LintFiles(LintOptions? options = null, params (string Name, string Text)[] files)
    {
        var pipeline = PipelineReader.Read(AlloyConfig.Read(files));
        return Linter.Lint(pipeline, options ?? new LintOptions());
    }

    internal static (string, string) CorpusFile(string number)
    {
        string path = Corpus.File(number);
        return (path, File.ReadAllText(path));
    }

    private static Dictionary<string, string> Figures(Finding finding) => finding.Figures.ToDictionary(f => f.Key, f => f.Value);

    /// <summary>A receiver tier joining 04's w1 (which posts to port 8080) and 05's w2.</summary>
    private const string ReceiverForW2 = """
        pyroscope.receive_http "r" {
          forward_to = [pyroscope.write.w2.receiver]
        }
        """;

    [Fact]
    public void File_09_reports_the_timeout_chain_with_both_fixes_computed()
    {
        var report = LintFiles(null, CorpusFile("09"));
        var chain = Assert.Single(report.Findings, f => f.Code == "timeout-chain");
        Assert.Equal(Severity.Warning, chain.Severity);
        Assert.Equal([26, 44, 20], chain.At.Select(a => a.Line)); // w1's endpoint, the receiver, w2's endpoint
        var figures = Figures(chain);
        Assert.Equal("1", figures["downstream_attempts_that_fit"]);
        // 10s + the longest first wait (just under 1s) + 10s: the smallest whole-second deadline leaving one retry.
        Assert.Equal("21s", figures["raise_upstream_remote_timeout_to"]);
        // 2 × 4.5s + just under 1s fits in 10s.
        Assert.Equal("4.5s", figures["lower_downstream_remote_timeout_to"]);
        Assert.Contains("(1) raise pyroscope.write \"local_proxy\"'s remote_timeout to 21s or more", chain.Fix);
        Assert.Contains("(2) lower pyroscope.write \"local_pyroscope\"'s remote_timeout to 4.5s or less", chain.Fix);
        Assert.Equal(1, report.ExitCode);
    }

    [Fact]
    public void The_guides_fixed_pair_04_and_05_behind_a_receiver_reports_nothing_to_fix()
    {
        var report = LintFiles(null, CorpusFile("04"), CorpusFile("05"), ("receiver.alloy", ReceiverForW2));
        Assert.DoesNotContain(report.Findings, f => f.Severity != Severity.Note);
        Assert.Equal(0, report.ExitCode);
        // The join happened: w2's retry budget is counted under w1's 30s deadline (6 attempts can start at best).
        var budget = Assert.Single(report.Findings, f => f.Code == "retries-unreachable");
        Assert.Equal("30s", Figures(budget)["deadline"]);
        Assert.Equal("6", Figures(budget)["attempts_possible"]);
        // Without --agents the fleet is unknown, and lint says it did not check conn_limit.
        Assert.Equal("receiver.alloy:1:1", Assert.Single(report.Findings, f => f.Code == "conn-limit-unchecked").At[0].ToString());
    }

    [Fact]
    public void A_set_reaches_an_attribute_of_an_omitted_http_block()
    {
        var inputs = new AlloyInputs { Settings = new Dictionary<string, Evaluation.AlloyValue> { ["pyroscope.receive_http.r.http.conn_limit"] = new Evaluation.NumberValue(10) } };
        var pipeline = PipelineReader.Read(AlloyConfig.Read([CorpusFile("04"), CorpusFile("05"), ("receiver.alloy", ReceiverForW2)], inputs));
        Assert.Empty(pipeline.Problems);
        var finding = Assert.Single(Linter.Lint(pipeline, new LintOptions { Agents = 50 }).Findings, f => f.Code == "conn-limit");
        Assert.Equal(("50", "10"), (Figures(finding)["connections"], Figures(finding)["conn_limit"]));
    }

    [Fact]
    public void The_same_pair_with_default_timeouts_reports_the_chain_across_files()
    {
        string w1 = File.ReadAllText(Corpus.File("04")).Replace("remote_timeout = \"30s\"", "remote_timeout = \"10s\"");
        string w2 = File.ReadAllText(Corpus.File("05")).Replace("remote_timeout = \"3s\"", "remote_timeout = \"10s\"");
        var report = LintFiles(null, ("agents.alloy", w1), ("w2.alloy", w2), ("receiver.alloy", ReceiverForW2));
        var chain = Assert.Single(report.Findings, f => f.Code == "timeout-chain");
        Assert.Equal(["agents.alloy", "receiver.alloy", "w2.alloy"], chain.At.Select(a => a.File));
    }

    [Fact]
    public void Corpus_agents_10_and_receiver_tier_23_join_by_port_and_the_ebpf_deadline_caps_the_raise_fix()
    {
        var report = LintFiles(null, CorpusFile("10"), CorpusFile("23"));
        var chain = Assert.Single(report.Findings, f => f.Code == "timeout-chain");
        Assert.EndsWith("10-ebpf-k8s-discovery-relabel-docs.alloy", chain.At[0].File);
        Assert.EndsWith("23-k8s-monitoring-profiles-receiver-declare.alloy", chain.At[1].File);
        // pyroscope.ebpf pushes under a collect_interval (15s) deadline: a 21s remote_timeout would still get 15s.
        Assert.Contains("not enough alone here: pyroscope.write \"endpoint\"'s pushes carry pyroscope.ebpf \"local_pods\"'s deadline of one " +
            "collect_interval (15s), so raise collect_interval to 21s too", chain.Fix);
        Assert.Equal("10s", Figures(chain)["upstream_attempt_deadline"]);
    }

    [Fact]
    public void The_upstream_deadline_is_the_ebpf_collect_interval_when_that_is_shorter()
    {
        var inputs = new AlloyInputs { Settings = new Dictionary<string, Evaluation.AlloyValue>
        {
            ["pyroscope.write.local_proxy.endpoint.remote_timeout"] = new Evaluation.StringValue("30s"),
            ["pyroscope.write.local_pyroscope.endpoint.remote_timeout"] = new Evaluation.StringValue("8s"),
        } };
        var report = Linter.Lint(PipelineReader.Read(AlloyConfig.Read([CorpusFile("09")], inputs)), new LintOptions());
        // 8s + up to 1s + 8s does not fit the 15s that ebpf's context leaves, though it fits w1's 30s.
        var chain = Assert.Single(report.Findings, f => f.Code == "timeout-chain");
        Assert.Equal("15s", Figures(chain)["upstream_attempt_deadline"]);
        Assert.Equal("7s", Figures(chain)["lower_downstream_remote_timeout_to"]);
    }

    [Fact]
    public void Max_backoff_retries_of_one_allows_no_retry_and_zero_without_a_deadline_never_ends()
    {
        const string config = """
            pyroscope.scrape "s" {
              targets    = []
              forward_to = [pyroscope.write.one.receiver, pyroscope.write.zero.receiver]
            }
            pyroscope.write "one" {
              endpoint {
                url = "http://a:4040"
                max_backoff_retries = 1
              }
            }
            pyroscope.write "zero" {
              endpoint {
                url = "http://b:4040"
                max_backoff_retries = "0"
              }
            }
            """;
        var findings = LintFiles(null, ("c.alloy", config)).Findings.Where(f => f.Code == "max-backoff-retries").ToList();
        Assert.Equal(2, findings.Count);
        Assert.Equal("c.alloy:8:5", findings[0].At[0].ToString());
        Assert.Contains("allows no retry", findings[0].Message);
        Assert.Equal("c.alloy:14:5", findings[1].At[0].ToString());
        Assert.Contains("retries forever", findings[1].Message);
    }

    [Fact]
    public void A_min_backoff_longer_than_the_deadline_makes_every_retry_unreachable()
    {
        const string config = """
            pyroscope.ebpf "e" {
              targets          = []
              collect_interval = "15s"
              forward_to       = [pyroscope.write.w.receiver]
            }
            pyroscope.write "w" {
              endpoint {
                url = "http://a:4040"
                min_backoff_period = "20s"
              }
            }
            """;
        var finding = Assert.Single(LintFiles(null, ("c.alloy", config)).Findings, f => f.Code == "retries-unreachable");
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal("1", Figures(finding)["attempts_possible"]);
    }

    [Fact]
    public void Conn_limit_is_checked_against_the_fleet_with_both_defaults_in_view()
    {
        var small = LintFiles(new LintOptions { Agents = 500 }, CorpusFile("09"));
        var old = Assert.Single(small.Findings, f => f.Code == "conn-limit-old-default");
        Assert.Equal("500", Figures(old)["connections"]);
        Assert.Equal("100", Figures(old)["conn_limit_default_before_v1_11"]);
        Assert.DoesNotContain(small.Findings, f => f.Code == "conn-limit");

        var large = LintFiles(new LintOptions { Agents = 20000 }, CorpusFile("09"));
        var over = Assert.Single(large.Findings, f => f.Code == "conn-limit");
        Assert.Equal(("20000", "16384", "25000", "2"),
            (Figures(over)["connections"], Figures(over)["conn_limit"], Figures(over)["raise_conn_limit_to"], Figures(over)["receivers_needed"]));
    }

    [Fact]
    public void Conn_limit_counts_only_the_idle_share_when_pushes_come_less_often_than_the_server_idle_timeout()
    {
        // 60s pushes against a 30s server idle timeout: each connection is open half the time.
        const string receiver = """
            pyroscope.receive_http "r" {
              http {
                conn_limit          = 100
                server_idle_timeout = "30s"
              }
              forward_to = []
            }
            """;
        const string agents = """
            pyroscope.java "j" {
              targets    = []
              forward_to = [pyroscope.write.w.receiver]
            }
            pyroscope.write "w" {
              endpoint {
                url = "http://receiver:8080"
              }
            }
            """;
        var report = LintFiles(new LintOptions { Agents = 300 }, ("agents.alloy", agents), ("receiver.alloy", receiver));
        var finding = Assert.Single(report.Findings, f => f.Code == "conn-limit");
        Assert.Equal("150", Figures(finding)["connections"]);
        Assert.Equal("receiver.alloy:3:5", finding.At[0].ToString());
    }

    [Fact]
    public void Receivers_in_one_process_share_a_host_and_may_not_share_a_port()
    {
        const string config = """
            pyroscope.receive_http "a" {
              http { listen_port = 4040 }
              forward_to = []
            }
            pyroscope.receive_http "b" {
              http { listen_port = 4040 }
              forward_to = []
            }
            """;
        var findings = LintFiles(null, ("c.alloy", config)).Findings;
        Assert.Equal(Severity.Error, Assert.Single(findings, f => f.Code == "listen-port-conflict").Severity);
        Assert.Equal("32768", Figures(Assert.Single(findings, f => f.Code == "receivers-share-host"))["total_conn_limit"]);
    }

    [Fact]
    public void Relabel_enrich_auth_and_tls_are_listed_as_not_modelled()
    {
        var codes = new[] { "13", "15", "23" }.SelectMany(n => LintFiles(null, CorpusFile(n)).Findings)
            .Where(f => f.Code == "not-modelled").Select(f => f.Message).ToList();
        Assert.Contains(codes, m => m.Contains("pyroscope.enrich"));
        Assert.Contains(codes, m => m.Contains("authentication (basic_auth)"));
        Assert.Contains(codes, m => m.Contains("pyroscope.relabel"));
        Assert.Contains(codes, m => m.Contains("TLS settings (tls_config)"));
    }

    [Fact]
    public void A_syntax_error_exits_2_with_its_position_and_no_findings()
    {
        var report = LintFiles(null, ("bad.alloy", "pyroscope.write \"w\" {\n  endpoint {\n    url = [\n  }\n}\n"));
        Assert.Equal(2, report.ExitCode);
        Assert.Empty(report.Findings);
        Assert.StartsWith("bad.alloy:", report.SyntaxErrors[0].ToString());
    }

    [Fact]
    public void Json_output_is_stable_and_complete()
    {
        const string config = """
            pyroscope.write "w" {
              endpoint {
                url = "http://a:4040"
                max_backoff_retries = 1
              }
            }
            """;
        string json = LintJson.Write(LintFiles(null, ("c.alloy", config)));
        const string expected = """
            {
              "version": 1,
              "exit_code": 1,
              "files": [
                "c.alloy"
              ],
              "errors": [],
              "findings": [
                {
                  "code": "max-backoff-retries",
                  "severity": "warning",
                  "at": [
                    "c.alloy:4:5"
                  ],
                  "message": "pyroscope.write \"w\" endpoint http://a:4040: max_backoff_retries = 1 allows no retry",
                  "why": "dskit's backoff counts attempts, not retries: max_backoff_retries is the total number of attempts, so 1 gives up after the first failure.",
                  "fix": "Set max_backoff_retries to at least 2 (one retry), or remove it for the default of 10.",
                  "figures": {
                    "max_backoff_retries": "1"
                  }
                },
                {
                  "code": "incomplete-component",
                  "severity": "note",
                  "at": [
                    "c.alloy:1:1"
                  ],
                  "message": "pyroscope.write \"w\" is incomplete: nothing in these files forwards to it (no source or receiver lists its receiver)",
                  "why": "",
                  "fix": "",
                  "figures": {}
                }
              ]
            }

            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), json);
        Assert.Equal(json, LintJson.Write(LintFiles(null, ("c.alloy", config))));
    }

    [Fact]
    public void Json_of_09_is_identical_run_to_run()
    {
        Assert.Equal(LintJson.Write(LintFiles(null, CorpusFile("09"))), LintJson.Write(LintFiles(null, CorpusFile("09"))));
    }
}
