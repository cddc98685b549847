namespace PipelineSim.Cli.Tests;

public class BenchModelCommandTests
{
    [Fact]
    public void Prints_the_fleet_figures_and_the_rate_against_the_target()
    {
        var result = CliRunner.Run("bench", "model", "--agents", "200", "--duration", "2m");
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("200", result.StdOut);
        Assert.Contains("1,600", result.StdOut); // 200 agents x 8 pushes in 2 minutes
        Assert.Matches(@"model: [\d,]+ simulated pushes per wall second \(target 120,000: 2\.4 M pushes in 20 s\)", result.StdOut);
    }

    [Fact]
    public void Writes_the_record_files_when_asked()
    {
        string dir = Path.Combine(Path.GetTempPath(), "bench-model-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = CliRunner.Run("bench", "model", "--agents", "50", "--duration", "1m", "--out", dir);
            Assert.True(result.ExitCode == 0, result.StdErr);
            Assert.True(new FileInfo(Path.Combine(dir, "pushes.csv")).Length > 1000);
            Assert.Contains("with CSV and Parquet output", result.StdOut);
            // Both formats of the same records, and the size of each, printed from the files themselves.
            long csv = new FileInfo(Path.Combine(dir, "pushes.csv")).Length + new FileInfo(Path.Combine(dir, "attempts.csv")).Length;
            long parquet = new FileInfo(Path.Combine(dir, "pushes.parquet")).Length + new FileInfo(Path.Combine(dir, "attempts.parquet")).Length;
            Assert.True(parquet * 2 < csv, $"Parquet {parquet} B vs CSV {csv} B");
            Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"records: CSV {csv / 1e6:N1} MB, Parquet {parquet / 1e6:N1} MB"), result.StdOut);
            Assert.Equal(
                Analysis.Records.RecordCsvReader.ReadAttempts(Path.Combine(dir, "attempts.csv")).Count(),
                Analysis.Records.RecordParquetReader.ReadAttempts(Path.Combine(dir, "attempts.parquet")).Count());
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Refuses_a_bad_duration_in_one_line()
    {
        var result = CliRunner.Run("bench", "model", "--duration", "ten");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--duration", result.StdOut + result.StdErr);
        Assert.DoesNotContain("   at ", result.StdOut + result.StdErr);
    }

    [Fact]
    public void Measures_a_saturated_and_an_unsaturated_receiver_tier_apart()
    {
        // 200 keep-alive agents hold 200 connections: one receiver at 100 saturates, two at 1000 do not.
        var saturated = CliRunner.Run("bench", "model", "--agents", "200", "--duration", "2m", "--receivers", "1", "--conn-limit", "100");
        Assert.True(saturated.ExitCode == 0, saturated.StdErr);
        Assert.Contains("1 x 100", saturated.StdOut);
        Assert.Contains("(saturated: 1)", saturated.StdOut);
        var roomy = CliRunner.Run("bench", "model", "--agents", "200", "--duration", "2m", "--receivers", "2", "--conn-limit", "1000");
        Assert.True(roomy.ExitCode == 0, roomy.StdErr);
        Assert.Contains("2 x 1,000", roomy.StdOut);
        Assert.DoesNotContain("saturated", roomy.StdOut);
        foreach (string column in new[] { "events/push", "peak memory", "memory/agent" }) Assert.Contains(column, roomy.StdOut);
    }

    [Fact]
    public void The_scale_table_runs_each_case_in_its_own_process_and_prints_them_against_their_targets()
    {
        // Shrunk a thousandfold: 10, 100, 100 and 1,000 agents, the same tiers and durations as the full table.
        var result = CliRunner.Run("bench", "model", "--scale-table", "--shrink", "1000");
        Assert.True(result.ExitCode == 0, result.StdErr);
        foreach (string row in new[] { "10k", "100k unsaturated", "100k saturated", "1M unsaturated" }) Assert.Contains(row, result.StdOut);
        Assert.Contains("10 x 1h", result.StdOut);
        Assert.Contains("1,000 x 10m", result.StdOut);
        Assert.Contains("60s 2GiB", result.StdOut);
        Assert.Contains("300s 8GiB", result.StdOut);
        Assert.Matches(@"events/s at 100k unsaturated: [\d,]+ % of 10k's \(target 67 %\): (met|not met)", result.StdOut);
        Assert.Matches(@"machine: \d+ cores; load average", result.StdOut);
    }

    [Fact]
    public void Json_prints_one_line_with_the_tier_it_measured()
    {
        var result = CliRunner.Run("bench", "model", "--agents", "50", "--duration", "1m", "--receivers", "3", "--backend-concurrency", "7", "--json");
        Assert.True(result.ExitCode == 0, result.StdErr);
        using var json = System.Text.Json.JsonDocument.Parse(result.StdOut.Trim());
        Assert.Equal(50, json.RootElement.GetProperty("agents").GetInt32());
        Assert.Equal(3, json.RootElement.GetProperty("receivers").GetInt32());
        Assert.Equal(7, json.RootElement.GetProperty("backendConcurrency").GetInt32());
        Assert.Equal(50 * 4, json.RootElement.GetProperty("pushes").GetInt64()); // every 15 s for a minute
    }
}
