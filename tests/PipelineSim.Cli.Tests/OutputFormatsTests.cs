using PipelineSim.Analysis.Records;

namespace PipelineSim.Cli.Tests;

/// <summary><c>run --records parquet</c> and <c>--metrics openmetrics</c> through the real executable.</summary>
public sealed class OutputFormatsTests : IDisposable
{
    // Retries, failures and forwarded pushes, so the records have nulls, errors and parents to carry.
    private const string Scenario = """
        name: formats
        duration: 3m
        seed: 8
        sources:
          agents: { count: 30, push_interval: 10s, profiles_per_push: 2, to: w1 }
        components:
          w1: { kind: pyroscope.write, endpoints: [ { url: r, remote_timeout: 2s } ] }
          r:  { kind: pyroscope.receive_http, forward_to: [w2], conn_limit: 20, accept_backlog: 5 }
          w2: { kind: pyroscope.write, endpoints: [ { url: pyroscope, remote_timeout: 1s } ] }
          pyroscope:
            kind: backend
            latency: "lognormal(mean: 300ms, sigma: 0.8)"
            errors: [ { code: unavailable, probability: 0.05 } ]
        """;

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private string ScenarioFile()
    {
        string path = Path.Combine(temp.Path, "formats.yaml");
        File.WriteAllText(path, Scenario);
        return path;
    }

    [Fact]
    public void Parquet_records_read_back_as_the_records_of_the_same_run_in_CSV()
    {
        string file = ScenarioFile();
        string csv = Path.Combine(temp.Path, "csv");
        string parquet = Path.Combine(temp.Path, "parquet");
        Assert.Equal(0, CliRunner.Run("run", file, "--out", csv).ExitCode);
        var result = CliRunner.Run("run", file, "--out", parquet, "--records", "parquet");
        Assert.True(result.ExitCode == 0, result.StdErr);

        Assert.Equal(["attempts.parquet", "metrics.csv", "pushes.parquet", "summary.json"],
            Directory.GetFiles(parquet).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var pushes = RecordParquetReader.ReadPushes(Path.Combine(parquet, RunFiles.PushesParquet)).ToList();
        var attempts = RecordParquetReader.ReadAttempts(Path.Combine(parquet, RunFiles.AttemptsParquet)).ToList();
        Assert.Equal(RecordCsvReader.ReadPushes(Path.Combine(csv, RunFiles.Pushes)), pushes);
        Assert.Equal(RecordCsvReader.ReadAttempts(Path.Combine(csv, RunFiles.Attempts)), attempts);
        Assert.Contains(pushes, p => p.ParentPushId is not null);
        Assert.Contains(pushes, p => p.Error is not null);
        Assert.Contains(attempts, a => a.BacklogWait > TimeSpan.Zero);
        // The summary and the metrics do not depend on the record format.
        Assert.Equal(File.ReadAllBytes(Path.Combine(csv, "summary.json")), File.ReadAllBytes(Path.Combine(parquet, "summary.json")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(csv, "metrics.csv")), File.ReadAllBytes(Path.Combine(parquet, "metrics.csv")));
    }

    [Fact]
    public void Plot_reads_a_Parquet_run_and_a_rerun_in_the_other_format_removes_the_stale_records()
    {
        string file = ScenarioFile();
        string dir = Path.Combine(temp.Path, "run");
        Assert.Equal(0, CliRunner.Run("run", file, "--out", dir).ExitCode);
        Assert.Equal(0, CliRunner.Run("run", file, "--out", dir, "--records", "parquet").ExitCode);
        Assert.False(File.Exists(Path.Combine(dir, RunFiles.Pushes)));
        Assert.False(File.Exists(Path.Combine(dir, RunFiles.Attempts)));

        var plot = CliRunner.Run("plot", dir);
        Assert.True(plot.ExitCode == 0, plot.StdErr + plot.StdOut);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir, RunFiles.Plots), "*.png"));

        Assert.Equal(0, CliRunner.Run("run", file, "--out", dir).ExitCode);
        Assert.False(File.Exists(Path.Combine(dir, RunFiles.PushesParquet)));
        Assert.True(File.Exists(Path.Combine(dir, RunFiles.Pushes)));
    }

    [Fact]
    public void The_OpenMetrics_export_is_deterministic_and_start_moves_its_timestamps()
    {
        string file = ScenarioFile();
        string a = Path.Combine(temp.Path, "a"), b = Path.Combine(temp.Path, "b"), c = Path.Combine(temp.Path, "c");
        Assert.Equal(0, CliRunner.Run("run", file, "--out", a, "--metrics", "openmetrics").ExitCode);
        Assert.Equal(0, CliRunner.Run("run", file, "--out", b, "--metrics", "openmetrics").ExitCode);
        Assert.Equal(0, CliRunner.Run("run", file, "--out", c, "--metrics", "openmetrics", "--start", "2026-06-01T12:00:00+02:00").ExitCode);
        byte[] first = File.ReadAllBytes(Path.Combine(a, RunFiles.OpenMetrics));
        Assert.Equal(first, File.ReadAllBytes(Path.Combine(b, RunFiles.OpenMetrics)));

        // Default start 2026-01-01T00:00:00Z = 1767225600 s; the chosen one is 2026-06-01T10:00:00Z = 1780308000 s.
        string[] defaultLines = File.ReadAllLines(Path.Combine(a, RunFiles.OpenMetrics));
        string[] movedLines = File.ReadAllLines(Path.Combine(c, RunFiles.OpenMetrics));
        Assert.EndsWith(" 1767225600.000000", defaultLines.First(l => !l.StartsWith('#')));
        Assert.EndsWith(" 1780308000.000000", movedLines.First(l => !l.StartsWith('#')));
        Assert.Equal("# EOF", movedLines[^1]);
        Assert.Equal(defaultLines.Length, movedLines.Length);
    }

    [Theory]
    [InlineData("--records", "json", "--records: 'json' is not csv or parquet")]
    [InlineData("--metrics", "prom", "--metrics: 'prom' is not csv or openmetrics")]
    [InlineData("--start", "2026-01-01", "--start: '2026-01-01' is not an RFC 3339 time")]
    [InlineData("--start", "2026-01-01T00:00:00", "--start: '2026-01-01T00:00:00' is not an RFC 3339 time")]
    [InlineData("--start", "1960-01-01T00:00:00Z", "at or after 1970")]
    public void A_bad_format_or_start_is_refused_in_one_line_before_anything_runs(string option, string value, string message)
    {
        string dir = Path.Combine(temp.Path, "bad");
        var result = CliRunner.Run("run", ScenarioFile(), "--out", dir, option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StdOut + result.StdErr);
        Assert.DoesNotContain("   at ", result.StdOut + result.StdErr);
        Assert.False(Directory.Exists(dir));
    }
}
