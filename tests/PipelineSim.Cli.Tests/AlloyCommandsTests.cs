using System.Text.Json;

namespace PipelineSim.Cli.Tests;

/// <summary><c>lint</c> and <c>import</c> as a user runs them, on the Alloy corpus beside the checkout.</summary>
public sealed class AlloyCommandsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Corpus(string number) =>
        Directory.GetFiles(Path.Combine(RepositoryRoot(), "..", "shared", "alloy-corpus"), number + "-*.alloy").Single();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PipelineSim.sln"))) return directory.FullName;
        }
        throw new DirectoryNotFoundException("no PipelineSim.sln above the test output");
    }

    [Fact]
    public void Lint_of_09_exits_1_with_the_timeout_chain_and_both_fixes()
    {
        var result = CliRunner.Run("lint", Corpus("09"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("warning timeout-chain", result.StdOut);
        Assert.Contains("raise_upstream_remote_timeout_to=21s", result.StdOut);
        Assert.Contains("lower_downstream_remote_timeout_to=4.5s", result.StdOut);
        Assert.Contains("09-ebpf-write-receive-http-write-chain.alloy:26:2:", result.StdOut);
    }

    [Fact]
    public void Lint_json_is_a_document_CI_can_read()
    {
        var result = CliRunner.Run("lint", Corpus("09"), "--format", "json", "--agents", "500");
        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.StdOut);
        Assert.Equal(1, json.RootElement.GetProperty("version").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("exit_code").GetInt32());
        var codes = json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()).ToList();
        Assert.Contains("timeout-chain", codes);
        Assert.Contains("conn-limit-old-default", codes);
    }

    [Fact]
    public void Lint_exits_2_for_a_file_it_cannot_read_or_parse()
    {
        var missing = CliRunner.Run("lint", Path.Combine(_temp.Path, "nope.alloy"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("nope.alloy:1:1: cannot read the file", missing.StdErr);

        string bad = Path.Combine(_temp.Path, "bad.alloy");
        File.WriteAllText(bad, "pyroscope.write \"w\" {\n  endpoint {\n    url = \"http://a\n  }\n}\n");
        var broken = CliRunner.Run("lint", bad);
        Assert.Equal(2, broken.ExitCode);
        Assert.Contains("bad.alloy:3:11: string literal not terminated", broken.StdErr);
    }

    [Fact]
    public void Lint_exits_0_when_nothing_is_wrong()
    {
        var result = CliRunner.Run("lint", Corpus("01"));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("0 error(s), 0 warning(s)", result.StdOut);
    }

    [Fact]
    public void An_imported_scenario_validates_and_runs_unchanged()
    {
        string scenario = Path.Combine(_temp.Path, "chain.yaml");
        var imported = CliRunner.Run("import", Corpus("09"), "--agents", "20", "-o", scenario);
        Assert.Equal(0, imported.ExitCode);
        Assert.Equal(0, CliRunner.Run("validate", scenario).ExitCode);
        var run = CliRunner.Run("run", scenario, "--duration", "3m", "--out", Path.Combine(_temp.Path, "run"));
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("local_proxy → http://proxy:4041", run.StdOut);
    }

    [Fact]
    public void Lint_simulate_shows_the_predicted_failure()
    {
        var result = CliRunner.Run("lint", Corpus("09"), "--simulate", "--out", Path.Combine(_temp.Path, "simulate"));
        Assert.Equal(1, result.ExitCode); // the findings decide the exit code
        Assert.Contains("passed: local_pyroscope.attempts.max == 1", result.StdOut);
        Assert.Contains("passed: local_pyroscope.pushes.failed.deadline_exceeded > 0", result.StdOut);
    }

    [Fact]
    public void Import_of_a_config_Alloy_rejects_writes_nothing_and_exits_2()
    {
        string scenario = Path.Combine(_temp.Path, "fragment.yaml");
        var result = CliRunner.Run("import", Corpus("03"), "-o", scenario);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("missing required attribute \"forward_to\"", result.StdErr);
        Assert.False(File.Exists(scenario));
    }
}
