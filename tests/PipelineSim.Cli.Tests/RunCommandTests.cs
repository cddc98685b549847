namespace PipelineSim.Cli.Tests;

/// <summary><c>pipelinesim run</c> end to end, through the real executable.</summary>
public sealed class RunCommandTests : IDisposable
{
    // Small enough to run in well under a second: 20 agents, 3 minutes, a receiver hop.
    private const string Chain = """
        name: small-chain
        duration: 3m
        seed: 4
        sources:
          agents: { count: 20, push_interval: 15s, profiles_per_push: 2, to: w1 }
        components:
          w1: { kind: pyroscope.write, endpoints: [ { url: r } ] }
          r:  { kind: pyroscope.receive_http, forward_to: [w2] }
          w2: { kind: pyroscope.write, endpoints: [ { url: pyroscope } ] }
          pyroscope: { kind: backend, latency: "uniform(100ms, 300ms)" }
        expect:
          - w1.pushes.failed == 0
          - w2.attempts.max == 1
        """;

    private static readonly string[] RunFiles = ["pushes.csv", "attempts.csv", "metrics.csv", "summary.json"];

    private readonly string _directory = Directory.CreateTempSubdirectory("pipelinesim-run-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string yaml)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private string Out(string name) => Path.Combine(_directory, name);

    [Fact]
    public void Writes_the_records_and_summary_prints_the_figures_and_checks_the_claims()
    {
        var result = CliRunner.Run("run", Write("chain.yaml", Chain), "--out", Out("a"));
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        foreach (var file in RunFiles) Assert.True(File.Exists(Path.Combine(Out("a"), file)), file);
        Assert.Contains("w1 → http://r", result.StdOut);
        Assert.Contains("receiver r", result.StdOut);
        Assert.Contains("conservation:", result.StdOut);
        Assert.Contains("all 2 expectations hold", result.StdOut);
        // 20 agents pushing every 15s for 3 minutes: 12 ticks each, the last ones possibly still in flight.
        var pushRows = File.ReadLines(Path.Combine(Out("a"), "pushes.csv")).Skip(1).Count(line => line.Contains(",w1,"));
        Assert.InRange(pushRows, 20 * 11, 20 * 12);
    }

    [Fact]
    public void The_same_scenario_and_seed_give_byte_identical_files_and_another_seed_does_not()
    {
        string file = Write("chain.yaml", Chain);
        Assert.Equal(0, CliRunner.Run("run", file, "--out", Out("one")).ExitCode);
        Assert.Equal(0, CliRunner.Run("run", file, "--out", Out("two")).ExitCode);
        Assert.Equal(0, CliRunner.Run("run", file, "--out", Out("three"), "--seed", "5").ExitCode);
        foreach (var name in RunFiles)
        {
            var one = File.ReadAllBytes(Path.Combine(Out("one"), name));
            Assert.Equal(one, File.ReadAllBytes(Path.Combine(Out("two"), name)));
            if (name == "pushes.csv") Assert.NotEqual(one, File.ReadAllBytes(Path.Combine(Out("three"), name)));
        }
    }

    [Fact]
    public void A_failed_expectation_exits_1_and_names_it()
    {
        string yaml = Chain.Replace("w1.pushes.failed == 0", "w1.pushes.failed > 0");
        var result = CliRunner.Run("run", Write("wrong.yaml", yaml), "--out", Out("wrong"));
        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"FAILED .*wrong\.yaml:\d+:\d+: expect\[0\]: failed: w1\.pushes\.failed > 0 \(w1\.pushes\.failed = 0\)", result.StdOut);
        Assert.Contains("1 of 2 expectations failed", result.StdErr);
        // The records are complete and kept: a failed claim is a finding, not a broken run.
        Assert.True(File.Exists(Path.Combine(Out("wrong"), "summary.json")));
    }

    [Fact]
    public void Bad_input_reports_every_problem_exits_2_and_writes_nothing()
    {
        string yaml = Chain.Replace("count: 20", "count: 0").Replace("url: pyroscope", "url: nowhere");
        var result = CliRunner.Run("run", Write("bad.yaml", yaml), "--out", Out("bad"));
        Assert.Equal(2, result.ExitCode);
        var lines = result.StdErr.Trim().Split('\n');
        Assert.Contains(lines, l => l.Contains("bad.yaml:5:") && l.Contains("sources.agents.count"));
        Assert.Contains(lines, l => l.Contains("components.w2.endpoints[0].url"));
        Assert.DoesNotContain("   at ", result.StdErr);
        Assert.False(Directory.Exists(Out("bad")));
    }

    [Fact]
    public void Duration_overrides_the_scenario_and_a_malformed_one_is_refused()
    {
        string file = Write("chain.yaml", Chain);
        var shorter = CliRunner.Run("run", file, "--out", Out("short"), "--duration", "1m");
        Assert.Equal(0, shorter.ExitCode);
        Assert.Contains("1m0s simulated", shorter.StdOut);
        var rows = File.ReadLines(Path.Combine(Out("short"), "pushes.csv")).Skip(1).Count(line => line.Contains(",w1,"));
        Assert.InRange(rows, 20 * 3, 20 * 4);

        var bad = CliRunner.Run("run", file, "--out", Out("never"), "--duration", "10");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--duration: invalid duration \"10\": missing unit", bad.StdOut + bad.StdErr);
        Assert.False(Directory.Exists(Out("never")));
    }

    [Fact]
    public void Plots_are_drawn_with_the_plots_flag()
    {
        var result = CliRunner.Run("run", Write("chain.yaml", Chain), "--out", Out("p"), "--plots");
        Assert.Equal(0, result.ExitCode);
        var plots = Directory.GetFiles(Path.Combine(Out("p"), "plots"), "*.png");
        Assert.Contains(plots, p => p.Contains("receiver_r_connections"));
        Assert.Contains(plots, p => p.Contains("latency-cdf"));

        // A later run into the same directory without --plots must not leave the old plots beside its new records,
        // nor delete them silently: they move to plots.previous, and the run says where.
        var again = CliRunner.Run("run", Path.Combine(_directory, "chain.yaml"), "--out", Out("p"), "--seed", "8");
        Assert.Equal(0, again.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(Out("p"), "plots")));
        var kept = Directory.GetFiles(Path.Combine(Out("p"), "plots.previous"), "*.png").Select(Path.GetFileName).Order();
        Assert.Equal(plots.Select(Path.GetFileName).Order(), kept);
        Assert.Contains($"note: the plots of the earlier run in {Out("p")} moved to {Path.Combine(Out("p"), "plots.previous")}; pass --plots to draw this run's", again.StdOut);

        // With --plots the new run draws its own, and the ones it replaces are the previous ones now.
        var third = CliRunner.Run("run", Path.Combine(_directory, "chain.yaml"), "--out", Out("p"), "--seed", "9", "--plots");
        Assert.Equal(0, third.ExitCode);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(Out("p"), "plots"), "*.png"));
        Assert.DoesNotContain("note: the plots of the earlier run", third.StdOut); // the run before it had none
    }

    [Fact]
    public void A_missing_file_is_one_line()
    {
        var result = CliRunner.Run("run", Path.Combine(_directory, "absent.yaml"));
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.StdErr.Trim().Split('\n'));
        Assert.Contains("absent.yaml", result.StdErr);
    }

    [Fact]
    public void Warns_when_a_receiver_sits_at_its_conn_limit_although_everything_is_delivered()
    {
        // 20 agents keep their keep-alive connections between pushes, so all 20 slots are held from the first push on.
        string atLimit = Chain.Replace("name: small-chain", "name: no-headroom")
            .Replace("{ kind: pyroscope.receive_http, forward_to: [w2] }", "{ kind: pyroscope.receive_http, conn_limit: 20, forward_to: [w2] }");
        var tight = CliRunner.Run("run", Write("tight.yaml", atLimit), "--out", Out("tight"));
        Assert.True(tight.ExitCode == 0, tight.StdOut + tight.StdErr);
        Assert.Contains("w1.pushes.failed == 0", tight.StdOut);
        Assert.Contains("warning: receiver r sat at its conn_limit of 20", tight.StdOut);

        var roomy = CliRunner.Run("run", Write("roomy.yaml", atLimit.Replace("conn_limit: 20", "conn_limit: 40")), "--out", Out("roomy"));
        Assert.Equal(0, roomy.ExitCode);
        Assert.DoesNotContain("warning:", roomy.StdOut);
    }

    [Fact]
    public void Set_replaces_a_scenario_value_for_one_run_and_names_a_bad_path()
    {
        string file = Write("chain.yaml", Chain);
        var tight = CliRunner.Run("run", file, "--out", Out("set"), "--set", "components.r.conn_limit=20");
        Assert.True(tight.ExitCode == 0, tight.StdOut + tight.StdErr);
        Assert.Contains("sat at its conn_limit of 20", tight.StdOut);

        var wrong = CliRunner.Run("run", file, "--out", Out("wrong"), "--set", "components.r9.conn_limit=20");
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("components.r9.conn_limit: cannot set: components has no \"r9\"", wrong.StdErr);
        Assert.False(Directory.Exists(Out("wrong")));
    }
}
