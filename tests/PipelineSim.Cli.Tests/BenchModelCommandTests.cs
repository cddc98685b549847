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
}
