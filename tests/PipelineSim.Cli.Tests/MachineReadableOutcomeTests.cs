using System.Text.Json;
using PipelineSim.Analysis.Summary;

namespace PipelineSim.Cli.Tests;

/// <summary>What a script reads from a run: summary.json, <c>run --json</c>, unwrapped claim lines, <c>validate</c> of many files.</summary>
public sealed class MachineReadableOutcomeTests : IDisposable
{
    // One claim holds, one fails, and the third is long enough that a 200-column console would wrap it.
    private const string Scenario = """
        name: outcome
        duration: 2m
        seed: 21
        sources:
          agents: { count: 10, push_interval: 15s, profiles_per_push: 2, to: w1 }
        components:
          w1: { kind: pyroscope.write, endpoints: [ { url: r } ] }
          r:  { kind: pyroscope.receive_http, forward_to: [w2] }
          w2: { kind: pyroscope.write, endpoints: [ { url: pyroscope } ] }
          pyroscope: { kind: backend, latency: "uniform(100ms, 300ms)" }
        expect:
          - w1.pushes.failed == 0
          - w2.pushes.delivered > 1000000
          - w1.pushes.delivered + w1.pushes.failed + w1.pushes.in_flight + w2.pushes.delivered + w2.pushes.failed + w2.pushes.in_flight >= w1.pushes.delivered
        """;

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private string ScenarioFile(string text = Scenario)
    {
        string path = Path.Combine(temp.Path, "outcome.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Summary_json_carries_the_run_the_backends_and_every_claim_with_its_values_and_verdict()
    {
        string file = ScenarioFile();
        string dir = Path.Combine(temp.Path, "run");
        var result = CliRunner.Run("run", file, "--out", dir, "--seed", "22", "--duration", "90s");
        Assert.Equal(1, result.ExitCode);

        var summary = RunSummaryJson.Read(Path.Combine(dir, "summary.json"));
        var run = summary.Run!;
        Assert.Equal(("outcome", file, "simulated", 22UL, TimeSpan.FromSeconds(90), (double?)null),
            (run.Scenario, run.File, run.Mode, run.Seed, run.Duration, run.TimeScale));
        Assert.Matches(@"^\d+\.\d+\.\d+", run.ToolVersion);

        var backend = Assert.Single(summary.Backends);
        Assert.Equal("pyroscope", backend.Backend);
        var w2 = summary.Endpoints.Single(e => e.Writer == "w2");
        Assert.Equal(w2.Delivered, backend.Ingested);
        Assert.Equal(backend.Requests, backend.Ingested + backend.Rejected);

        Assert.Equal(["passed", "failed", "passed"], summary.Expectations.Select(e => e.Verdict));
        var failed = summary.Expectations[1];
        Assert.Equal(("w2.pushes.delivered > 1000000", "expect[1]", 13, 5), (failed.Text, failed.Path, failed.Line, failed.Column));
        Assert.Equal(w2.Delivered, Assert.Single(failed.Values, v => v.Key == "w2.pushes.delivered").Value);
        Assert.Null(failed.Reason);
        Assert.Equal(6, summary.Expectations[2].Values.Count);
        // The console says the same about the failed claim.
        Assert.Contains($"FAILED {file}:13:5: expect[1]: failed: w2.pushes.delivered > 1000000 (w2.pushes.delivered = {w2.Delivered})", result.StdOut);
    }

    [Fact]
    public void Run_json_prints_summary_json_on_stdout_and_nothing_else_with_the_same_exit_code()
    {
        string file = ScenarioFile();
        string dir = Path.Combine(temp.Path, "json");
        var result = CliRunner.Run("run", file, "--out", dir, "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "summary.json")), result.StdOut);
        using var json = JsonDocument.Parse(result.StdOut);
        Assert.Equal("outcome", json.RootElement.GetProperty("run").GetProperty("scenario").GetString());
        Assert.Equal("failed", json.RootElement.GetProperty("expectations")[1].GetProperty("verdict").GetString());
        Assert.Equal($"pipelinesim: 1 of 3 expectations failed in {file}\n", result.StdErr);

        // When every claim holds, exit 0, and still only JSON.
        string passing = ScenarioFile(Scenario.Replace("w2.pushes.delivered > 1000000", "w2.pushes.delivered > 0"));
        var ok = CliRunner.Run("run", passing, "--out", dir, "--json");
        Assert.Equal((0, ""), (ok.ExitCode, ok.StdErr));
        Assert.StartsWith("{", ok.StdOut);
        Assert.EndsWith("}\n", ok.StdOut);
    }

    [Fact]
    public void Redirected_output_does_not_wrap_a_claim_line()
    {
        string file = ScenarioFile();
        var result = CliRunner.Run("run", file, "--out", Path.Combine(temp.Path, "wrap"));
        string line = Assert.Single(result.StdOut.Split('\n'), l => l.Contains("expect[2]"));
        Assert.True(line.Length > 200, $"the test wants a line longer than the 200 columns CliRunner sets: {line.Length}");
        Assert.StartsWith("ok     ", line);
        Assert.EndsWith(")", line); // the values close the line they began on
        Assert.Contains("w2.pushes.in_flight = 0", line);
    }

    [Fact]
    public void Validate_checks_every_file_given_and_reads_dash_from_stdin()
    {
        string good = ScenarioFile();
        string bad = Path.Combine(temp.Path, "bad.yaml");
        File.WriteAllText(bad, Scenario.Replace("count: 10", "count: 0"));

        var both = CliRunner.Run("validate", good, bad);
        Assert.Equal(2, both.ExitCode);
        Assert.Equal($"{good}: OK (outcome: 1 source with 10 agents, 4 components, 0 links, 0 faults, 3 expectations)\n", both.StdOut);
        Assert.Equal($"{bad}:5:20: sources.agents.count: must be at least 1, found 0\n", both.StdErr);

        var piped = CliRunner.RunWithInput(Scenario, "validate", good, "-");
        Assert.Equal(0, piped.ExitCode);
        Assert.EndsWith("<stdin>: OK (outcome: 1 source with 10 agents, 4 components, 0 links, 0 faults, 3 expectations)\n", piped.StdOut);

        var pipedBad = CliRunner.RunWithInput("name: x\n", "validate", "-");
        Assert.Equal(2, pipedBad.ExitCode);
        Assert.StartsWith("<stdin>:1:1: duration: missing required key \"duration\"", pipedBad.StdErr);

        var twice = CliRunner.RunWithInput("", "validate", "-", "-");
        Assert.Equal(2, twice.ExitCode);
        Assert.Contains("- (stdin) can be given once", twice.StdOut + twice.StdErr);
    }
}
