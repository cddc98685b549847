namespace PipelineSim.Cli.Tests;

/// <summary><c>pipelinesim plan</c> and <c>plan merge</c> end to end, through the real executable.</summary>
public sealed class PlanCommandTests : IDisposable
{
    // 150 agents pushing once a minute hold 150 keep-alive connections; short enough to plan in about a second.
    private const string IdleHold = """
        name: idle-hold
        duration: 4m
        seed: 3
        sources:
          agents: { count: 150, push_interval: 60s, to: w1 }
        components:
          w1: { kind: pyroscope.write, endpoints: [ { url: "http://r:8080" } ] }
          r:  { kind: pyroscope.receive_http, conn_limit: 100, forward_to: [w2] }
          w2: { kind: pyroscope.write, endpoints: [ { url: "http://pyroscope:4040" } ] }
          pyroscope: { kind: backend, latency: "lognormal(mean: 700ms, sigma: 0.4)" }
        """;

    private static readonly string[] Sweep = ["--receiver", "r", "--conn-limit", "50:200:50", "--replications", "2", "--slo", "delivered>=99%", "--slo", "p99<5s"];

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private string Scenario()
    {
        string path = Path.Combine(temp.Path, "idle-hold.yaml");
        File.WriteAllText(path, IdleHold);
        return path;
    }

    private string Dir(string name) => Path.Combine(temp.Path, name);

    [Fact]
    public void Prints_the_points_and_recommends_a_limit_above_the_connected_clients()
    {
        var result = CliRunner.Run(["plan", Scenario(), .. Sweep, "--out", Dir("plan")]);
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("recommended conn_limit: 230 (smallest sufficient 150 x headroom 1.5, rounded up)", result.StdOut);
        Assert.Contains("the limit scales with connected clients, not with load", Unwrapped(result.StdOut));
        Assert.Contains("file descriptors", result.StdOut);
        foreach (string file in new[] { "plan.csv", "plan-summary.csv", "plan.json", "plan.txt", "plan_delivered.png", "plan_delivered.svg", "plan_p99.png", "plan_p99.svg" })
            Assert.True(File.Exists(Path.Combine(Dir("plan"), file)), file);
        // The console and plan.txt are one text.
        Assert.Contains(File.ReadAllText(Path.Combine(Dir("plan"), "plan.txt")).Split('\n')[3], result.StdOut);
        Assert.Equal(1 + 8, File.ReadLines(Path.Combine(Dir("plan"), "plan.csv")).Count());
        Assert.Equal(1 + 4, File.ReadLines(Path.Combine(Dir("plan"), "plan-summary.csv")).Count());
    }

    [Fact]
    public void Shards_merged_print_and_write_what_the_unsharded_plan_does()
    {
        string scenario = Scenario();
        var whole = CliRunner.Run(["plan", scenario, .. Sweep, "--out", Dir("whole")]);
        Assert.Equal(0, whole.ExitCode);
        // Two shards into one directory (a shared volume) and one into its own.
        Assert.Equal(0, CliRunner.Run(["plan", scenario, .. Sweep, "--shard", "0/3", "--out", Dir("shared")]).ExitCode);
        Assert.Equal(0, CliRunner.Run(["plan", scenario, .. Sweep, "--shard", "2/3", "--out", Dir("shared")]).ExitCode);
        var middle = CliRunner.Run(["plan", scenario, .. Sweep, "--shard", "1/3", "--out", Dir("own")]);
        Assert.Contains("shard 1/3: 3 runs written", middle.StdOut);

        var merged = CliRunner.Run("plan", "merge", Dir("shared"), Dir("own"), "--out", Dir("merged"));
        Assert.True(merged.ExitCode == 0, merged.StdOut + merged.StdErr);
        foreach (string file in Directory.GetFiles(Dir("whole")))
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(Dir("merged"), Path.GetFileName(file)))), file);
        Assert.Equal(Without(whole.StdOut, "planning", Dir("whole")), Without(merged.StdOut, "planning", Dir("merged")));
    }

    [Theory]
    [InlineData("manifest", "inputs_sha256")]
    [InlineData("rows", "runs_sha256")]
    public void Merge_refuses_a_shard_edited_after_it_ran(string edited, string digest)
    {
        string scenario = Scenario();
        Assert.Equal(0, CliRunner.Run(["plan", scenario, .. Sweep, "--shard", "0/2", "--out", Dir("s")]).ExitCode);
        Assert.Equal(0, CliRunner.Run(["plan", scenario, .. Sweep, "--shard", "1/2", "--out", Dir("s")]).ExitCode);
        if (edited == "manifest")
        {
            // A well-formed edit: the largest seed there is.
            string manifest = Path.Combine(Dir("s"), "plan.shard-0-of-2.json");
            string text = File.ReadAllText(manifest);
            string changed = System.Text.RegularExpressions.Regex.Replace(text, "\"seed\": \\d+", "\"seed\": 18446744073709551615");
            Assert.NotEqual(text, changed);
            File.WriteAllText(manifest, changed);
        }
        else
        {
            // Every run of the shard claims nothing was delivered (column 9, delivered).
            string csv = Path.Combine(Dir("s"), "plan.shard-1-of-2.csv");
            var lines = File.ReadAllLines(csv);
            for (int i = 1; i < lines.Length; i++)
            {
                var fields = lines[i].Split(',');
                fields[8] = "0";
                lines[i] = string.Join(',', fields);
            }
            File.WriteAllText(csv, string.Join('\n', lines) + "\n");
        }
        var merged = CliRunner.Run("plan", "merge", Dir("s"), "--out", Dir("m"));
        Assert.Equal(2, merged.ExitCode);
        Assert.Contains(digest, merged.StdErr);
        Assert.Contains("edited or damaged", merged.StdErr);
    }

    [Fact]
    public void Merge_with_a_shard_missing_names_it_and_exits_2()
    {
        Assert.Equal(0, CliRunner.Run(["plan", Scenario(), .. Sweep, "--shard", "0/2", "--out", Dir("s")]).ExitCode);
        var result = CliRunner.Run("plan", "merge", Dir("s"));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("pipelinesim plan merge: missing shards: 1/2 (of 2)", result.StdErr.Trim());
    }

    [Fact]
    public void Bad_input_gives_one_line_per_problem_and_exit_2()
    {
        var result = CliRunner.Run("plan", Scenario(), "--receiver", "nope", "--conn-limit", "200:50:10", "--slo", "p99<2", "--slo", "latency<1s",
            "--replications", "0", "--fleet", "robots=10,20", "--out", Dir("bad"));
        Assert.Equal(2, result.ExitCode);
        string[] lines = result.StdErr.Trim().Split('\n');
        Assert.Equal(
        [
            "pipelinesim plan: --conn-limit: '200:50:10': stop 50 is below start 200",
            "pipelinesim plan: --replications: 0 is not between 1 and 1000",
            "pipelinesim plan: --slo: 'p99<2': a latency needs a unit, like 2s or 500ms (invalid duration \"2\": missing unit (expected a number followed by ns, us, µs, ms, s, m or h, like 500ms or 1m30s))",
            "pipelinesim plan: --slo: 'latency<1s': unknown metric 'latency' (use delivered, p50, p90, p95, p99 or failed, or a claim such as w2.pushes.failed == 0)",
            "pipelinesim plan: --receiver: no component named 'nope' (receivers: r)",
            "pipelinesim plan: --fleet: no source named 'robots' (sources: agents)",
        ], lines);
        Assert.False(Directory.Exists(Dir("bad")));
    }

    [Fact]
    public void Exits_1_when_no_swept_limit_meets_the_slo()
    {
        var result = CliRunner.Run("plan", Scenario(), "--receiver", "r", "--conn-limit", "50,100", "--replications", "2", "--slo", "delivered>=99%", "--out", Dir("short"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("recommended conn_limit: none", result.StdOut);
        Assert.Contains("the analytic estimate, 150, is above the largest tried (100): extend the sweep past it", Unwrapped(result.StdOut));
    }

    /// <summary>The plan's sentences wrap, continuing four spaces in; joined back for matching.</summary>
    private static string Unwrapped(string output) => output.Replace("\n    ", " ", StringComparison.Ordinal);

    private static string Without(string output, string firstLinePrefix, string directory) =>
        string.Join('\n', output.Split('\n').Where(l => !l.StartsWith(firstLinePrefix, StringComparison.Ordinal) && !l.Contains(directory, StringComparison.Ordinal)));
}
