using System.Text.RegularExpressions;

namespace PipelineSim.Cli.Tests.Commands;

/// <summary><c>pipelinesim live</c> and <c>compare</c> end to end, through the real executable, at a tenth of real time.</summary>
[Trait("Category", "Live")]
public sealed class LiveAndCompareCommandTests : IDisposable
{
    // Three agents for 30 s of scenario time: 3 s of real time at --time-scale 0.1.
    private const string Chain = """
        name: live-chain
        duration: 30s
        seed: 3
        sample_step: 5s
        sources:
          agents: { count: 3, push_interval: 10s, to: w1 }
        components:
          w1: { kind: pyroscope.write, endpoints: [ { url: "http://r:8080" } ] }
          r:  { kind: pyroscope.receive_http, forward_to: [w2] }
          w2: { kind: pyroscope.write, endpoints: [ { url: "http://pyroscope:4040" } ] }
          pyroscope: { kind: backend, latency: 10ms }
        links:
          - { from: w2, to: pyroscope, rtt: 4ms }
        expect:
          - w1.pushes.failed == 0
          - w1.pushes.delivered >= 6
          - r.syn_drops == 0
        """;

    private static readonly string[] RunFiles = ["pushes.csv", "attempts.csv", "metrics.csv", "summary.json"];

    private readonly string directory = Directory.CreateTempSubdirectory("pipelinesim-live-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Write(string name, string yaml)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private string Out(string name) => Path.Combine(directory, name);

    [Fact]
    public void Live_writes_the_files_run_writes_and_checks_the_claims_it_can()
    {
        var result = CliRunner.Run("live", Write("chain.yaml", Chain), "--out", Out("live"), "--time-scale", "0.1", "--metrics", "openmetrics");

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        foreach (var file in RunFiles) Assert.True(File.Exists(Path.Combine(Out("live"), file)), file);
        Assert.Contains("live-chain: 30s live at time scale 0.1", result.StdOut);
        Assert.Contains("w2 → http://pyroscope:4040", result.StdOut);
        Assert.Contains("receiver r", result.StdOut);
        Assert.Contains("all 2 expectations hold", result.StdOut);
        Assert.Contains("not checked live: r.syn_drops == 0 (r.syn_drops: SYNs dropped at a full backlog are the kernel's", result.StdOut);
        // The records are the simulator's kind: every push row names a writer endpoint, the agents by the model's names.
        var rows = File.ReadLines(Path.Combine(Out("live"), "pushes.csv")).Skip(1).ToList();
        Assert.Contains(rows, r => r.Contains(",agents-0,w1,http://r:8080,", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains(",w2,http://pyroscope:4040,", StringComparison.Ordinal));
        Assert.Contains("\"conservation\"", File.ReadAllText(Path.Combine(Out("live"), "summary.json")));

        // summary.json says what ran and how each claim fared, the one live cannot check included.
        var summary = Analysis.Summary.RunSummaryJson.Read(Path.Combine(Out("live"), "summary.json"));
        Assert.Equal(("live-chain", "live", 3UL, 0.1), (summary.Run!.Scenario, summary.Run.Mode, summary.Run.Seed, summary.Run.TimeScale));
        Assert.Equal(["passed", "passed", "not_checked"], summary.Expectations.Select(e => e.Verdict));
        Assert.StartsWith("r.syn_drops: SYNs dropped", summary.Expectations[2].Reason);
        Assert.Equal("pyroscope", Assert.Single(summary.Backends).Backend);
        // A live run cannot know how long a connection sat in the kernel's backlog: the column is empty, not 0.
        var attempts = Analysis.Records.RecordCsvReader.ReadAttempts(Path.Combine(Out("live"), "attempts.csv")).ToList();
        Assert.NotEmpty(attempts);
        Assert.All(attempts, a => Assert.Null(a.BacklogWait));
        // The OpenMetrics export is written live too.
        Assert.EndsWith("# EOF\n", File.ReadAllText(Path.Combine(Out("live"), "metrics.om")));
    }

    [Fact]
    public void Live_refuses_what_it_cannot_run_naming_each_scenario_key_and_writes_nothing()
    {
        string file = Write("lb.yaml", Chain.Replace(
            "  r:  { kind: pyroscope.receive_http, forward_to: [w2] }",
            "  r:  { kind: pyroscope.receive_http, forward_to: [w2], http2: { enabled: true } }\n  lb: { kind: load_balancer, targets: [r] }"));

        var result = CliRunner.Run("live", file, "--out", Out("never"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            [$"{file}: components.r.http2.enabled: cannot run live: the live receiver speaks HTTP/1.1 only",
             $"{file}: components.lb.kind: load_balancer cannot run live: there is no live load balancer (L4 pinning and L7 pooling are the simulator's alone)"],
            result.StdErr.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(Out("never")));
    }

    [Fact]
    public void Compare_prints_both_runs_side_by_side_and_a_verdict()
    {
        var result = CliRunner.Run("compare", Write("chain.yaml", Chain));

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("live-chain: 30s simulated and live at time scale 0.1, seed 3", result.StdOut);
        Assert.Contains("w1 → http://r:8080: agree", result.StdOut);
        Assert.Contains("w2 → http://pyroscope:4040: agree", result.StdOut);
        Assert.Matches(@"delivered ok\s+\d+\s+\d+", result.StdOut);
        Assert.Matches(@"latency p99\s+\d+\.\d{3} s\s+\d+\.\d{3} s\s+[+−]\d+\.\d{3} s \(±", result.StdOut);
        Assert.Matches(@"verdict: simulated and live agree \(outcome shares by a two-proportion test \(Fisher's exact\) at level 1% per endpoint, " +
            @"split over its outcome classes; latency quantiles within 10% \+ \d+\.\d{3} s beyond what each sample pins down \(99\.75% order-statistic intervals\)\)",
            string.Join(' ', result.StdOut.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)));
        Assert.Matches(@"latency slack: the live run's timers fired up to \d+ ms late", result.StdOut);
    }

    [Fact]
    public void Compare_agrees_on_the_shipped_timeout_chain_shortened_to_its_story()
    {
        // The shipped scenario as it is, but with its idle-flow drop at 30 s instead of 10 min and 80 s long (8 s of
        // real time at the default time scale 0.1): the dead connections, w2's single attempt and w1's retry all
        // happen, in about a tenth of the pushes. `compare scenarios/timeout-chain.yaml` itself takes two minutes.
        var result = CliRunner.Run("compare", RepositoryPaths.Scenario("timeout-chain.yaml"),
            "--duration", "80s", "--set", "faults[0].at=30s", "--set", "sources.agents.count=10");

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("timeout-chain: 1m20s simulated and live at time scale 0.1, seed 7", result.StdOut);
        Assert.Contains("w1 → http://r:8080: agree", result.StdOut);
        Assert.Contains("w2 → http://pyroscope:4040: agree", result.StdOut);
        // The story is in the shortened run (its row with or without the split by attempts): the simulator's w2
        // failed on dead connections, with no time to retry...
        Assert.True(Regex.IsMatch(result.StdOut, @"failed deadline_exceeded(?: after 1)?\s+[1-9]\d*\s"), result.StdOut);
        // ...and w1 delivered some pushes only on its second attempt.
        Assert.True(Regex.IsMatch(result.StdOut, @"2 attempts\s+[1-9]\d*\s"), result.StdOut);
        Assert.Contains("verdict: simulated and live agree", result.StdOut);
    }

    // A story the model and live mode tell differently on purpose (docs/explanation/live-driver.md): after the idle
    // flows to pyroscope are dropped at 5 s, the model's client keep-alive probes (every 2 s here) find the dead
    // connections and retire them, while live the fault proxy answers the probes itself, so at 30 s all twelve agents'
    // pushes ride dead pooled connections and w2's single attempt times out: 12 failures against none.
    private const string ProbesDiffer = """
        name: probes-differ
        duration: 40s
        seed: 3
        sample_step: 5s
        sources:
          agents: { count: 12, push_interval: 30s, phase_jitter: 0s, to: w1 }
        components:
          w1: { kind: pyroscope.write, endpoints: [ { url: "http://r:8080", remote_timeout: 30s } ] }
          r:  { kind: pyroscope.receive_http, forward_to: [w2] }
          w2:
            kind: pyroscope.write
            endpoints:
              - url: "http://pyroscope:4040"
                remote_timeout: 5s
                max_backoff_retries: 1
                transport: { keep_alive: { idle: 2s, interval: 2s, count: 2 } }
          pyroscope: { kind: backend, latency: 500ms }
        links:
          - { from: w2, to: pyroscope, rtt: 4ms }
        faults:
          - { at: 5s, kind: drop-idle-flows, link: w2->pyroscope }
        """;

    [Fact]
    public void Compare_exits_1_when_the_runs_differ_beyond_what_chance_allows()
    {
        var result = CliRunner.Run("compare", Write("probes.yaml", ProbesDiffer));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("w2 → http://pyroscope:4040: DIFFER", result.StdOut);
        Assert.Matches(@"failed deadline_exceeded after 1\s+0\s+12\s+\+12 \(p = ", result.StdOut);
        Assert.Contains("verdict: simulated and live differ", result.StdOut);
        Assert.Contains("pipelinesim: simulated and live runs of", result.StdErr);
    }
}
