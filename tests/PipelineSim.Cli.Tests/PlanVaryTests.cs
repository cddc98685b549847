namespace PipelineSim.Cli.Tests;

/// <summary><c>plan --vary</c>: any number or duration of a scenario swept, and the cheapest setting that meets the SLOs.</summary>
public sealed class PlanVaryTests : IDisposable
{
    // The guide's timeout chain in 100 s: at 30 s w2 reuses a connection that broke silently at 20 s.
    private const string Chain = """
        name: chain
        duration: 100s
        seed: 7
        sources:
          first: { push_interval: 30s, phase_jitter: 0s, profile_bytes: 4KiB, to: w1 }
          fleet: { count: 10, start: 40s, push_interval: 30s, phase_jitter: 20s, profile_bytes: 4KiB, to: w1 }
        components:
          w1: { kind: pyroscope.write, endpoints: [ { url: "http://r:8080", remote_timeout: 10s } ] }
          r:  { kind: pyroscope.receive_http, forward_to: [w2] }
          w2: { kind: pyroscope.write, endpoints: [ { url: "http://pyroscope:4040", remote_timeout: 10s } ] }
          pyroscope: { kind: backend, latency: 100ms }
        links:
          - { from: w2, to: pyroscope, rtt: 20ms }
        faults:
          - { at: 20s, kind: drop-idle-flows, link: w2->pyroscope, mode: silent }
        """;

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private string Scenario()
    {
        string path = Path.Combine(temp.Path, "chain.yaml");
        File.WriteAllText(path, Chain);
        return path;
    }

    private string Dir(string name) => Path.Combine(temp.Path, name);

    [Fact]
    public void Recommends_the_cheapest_downstream_timeout_that_leaves_time_to_retry()
    {
        // w2 at 10 s hangs on the dead connection until w1's deadline: that push takes w1's 10 s and a retry. At 3 s or
        // less w2 gives up in time and retries on a fresh connection. Preferring the longest w2 timeout picks 3 s.
        var result = CliRunner.Run(["plan", Scenario(), "--replications", "3", "--slo", "p99<6s",
            "--vary", "components.w2.endpoints[0].remote_timeout=2s,3s,10s", "--prefer", "w2.remote_timeout=high", "--out", Dir("plan")]);
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        string text = result.StdOut.ReplaceLineEndings(" ");
        Assert.Contains("  w2.remote_timeout=10s  ", result.StdOut); // its row in the settings table
        Assert.DoesNotContain("recommended conn_limit", result.StdOut); // conn_limit was not swept
        Assert.Contains("recommended setting: w2.remote_timeout=3s, conn_limit", text);
        Assert.Contains("2 of 3 settings meet every SLO", text);
        Assert.Contains("\"setting\": \"w2.remote_timeout=3s\"", File.ReadAllText(Path.Combine(Dir("plan"), "plan.json")));
        Assert.Contains(",w2.remote_timeout=10s,", File.ReadAllText(Path.Combine(Dir("plan"), "plan-summary.csv")));

        // The other way round, the shortest timeout is the cheapest.
        var low = CliRunner.Run(["plan", Scenario(), "--replications", "3", "--slo", "p99<6s",
            "--vary", "components.w2.endpoints[0].remote_timeout=2s,3s,10s", "--prefer", "w2.remote_timeout=low", "--out", Dir("low")]);
        Assert.Contains("recommended setting: w2.remote_timeout=2s", low.StdOut.ReplaceLineEndings(" "));
    }

    [Fact]
    public void No_setting_that_meets_the_slos_is_exit_1()
    {
        var result = CliRunner.Run(["plan", Scenario(), "--replications", "3", "--slo", "p99<1s",
            "--vary", "components.w2.endpoints[0].remote_timeout=5s,10s", "--out", Dir("none")]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("recommended setting: none", result.StdOut);
    }

    [Theory]
    [InlineData("components.w2.endpoints[0].remote_timeout=10s:1s:1s", "--vary: components.w2.endpoints[0].remote_timeout: '10s:1s:1s': the step must be positive and stop at least start")]
    [InlineData("components.w9.endpoints[0].remote_timeout=1s,2s", "components.w9.endpoints[0].remote_timeout: cannot set: components has no \"w9\"")]
    [InlineData("components.w2.endpoints[0].remote_timeout=-1s,2s", "components.w2.endpoints[0].remote_timeout: must not be negative")]
    [InlineData("components.w2.endpoints[0].remote_timeout=fast", "is neither a number nor a Go duration")]
    public void A_knob_the_scenario_cannot_take_is_refused_before_anything_runs(string vary, string expected)
    {
        var result = CliRunner.Run(["plan", Scenario(), "--vary", vary, "--out", Dir("bad")]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StdErr);
        Assert.False(Directory.Exists(Dir("bad")));
    }

    [Fact]
    public void A_preference_must_name_a_varied_knob()
    {
        var result = CliRunner.Run(["plan", Scenario(), "--vary", "components.w2.endpoints[0].remote_timeout=2s,3s", "--prefer", "w1.remote_timeout=low"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--prefer: 'w1.remote_timeout' is not a knob given with --vary (w2.remote_timeout)", result.StdErr);
    }

    [Fact]
    public void The_timeout_chain_shows_the_guide_s_options_with_their_budgets_beside_the_runs()
    {
        var result = CliRunner.Run(["plan", Scenario(), "--timeout-chain", "--replications", "3", "--slo", "p99<6s",
            "--prefer", "w1.remote_timeout=low", "--prefer", "w2.remote_timeout=high", "--out", Dir("chain")]);
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        var rows = result.StdOut.Split('\n').Select(l => l.Trim()).ToList();
        string Row(string option) => rows.Single(l => l.StartsWith(option + " ", StringComparison.Ordinal));
        // Budgets: 10 s in 10 s leaves no retry; 10 s in 30 s and 3 s in 10 s leave one; 3 s in 30 s leaves four.
        Assert.Matches(@"^as is\s+10s\s+10s\s+10\s+1\s", Row("as is"));
        Assert.Matches(@"^A: raise w1\s+30s\s+10s\s+10\s+2\s", Row("A: raise w1"));
        Assert.Matches(@"^B: lower w2\s+10s\s+3s\s+10\s+2\s", Row("B: lower w2"));
        Assert.Matches(@"^A and B\s+30s\s+3s\s+10\s+5\s", Row("A and B"));
        // The hung push takes w1's whole 10 s and a retry as is, and with A w2's 10 s and a retry: only B meets p99 < 6 s.
        Assert.EndsWith("no", Row("as is"));
        Assert.EndsWith("no", Row("A: raise w1"));
        Assert.EndsWith("yes", Row("B: lower w2"));
        string text = result.StdOut.ReplaceLineEndings(" ");
        Assert.Contains("raise w1's remote_timeout to 21s or more, or lower w2's to 4.5s or less", System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " "));
        Assert.Contains("recommended setting: w1.remote_timeout=10s, w2.remote_timeout=3s", System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " "));
        string json = File.ReadAllText(Path.Combine(Dir("chain"), "plan.json"));
        Assert.Contains("\"timeout_chain\"", json);
        Assert.Contains("\"option\": \"A and B\"", json);
        // Knobs alone: the plot is by setting; with one conn_limit there is no plot against it.
        Assert.True(File.Exists(Path.Combine(Dir("chain"), "plan_settings_p99.png")));
        Assert.False(File.Exists(Path.Combine(Dir("chain"), "plan_p99.png")));
    }

    [Fact]
    public void The_timeout_chain_needs_a_chain()
    {
        // w1 pushes straight to the backend: a receiver forwards nothing, so there is no chain to plan.
        string single = Chain.Replace("url: \"http://r:8080\"", "url: \"http://pyroscope:4040\"");
        string path = Path.Combine(temp.Path, "single.yaml");
        File.WriteAllText(path, single);
        var result = CliRunner.Run(["plan", path, "--timeout-chain"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--timeout-chain: no timeout chain", result.StdErr);
    }
}
