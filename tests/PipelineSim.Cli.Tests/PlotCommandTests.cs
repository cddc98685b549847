using PipelineSim.Cli.Commands;

namespace PipelineSim.Cli.Tests;

public class PlotCommandTests
{
    [Fact]
    public void Plots_a_run_directory_and_says_where()
    {
        using var dir = new TempDirectory();
        RunRecords.WriteTo(dir.Path);
        var console = new TestConsole();
        var errors = new StringWriter();

        int exit = PlotCommand.Run(new PlotCommand.Settings { Directory = dir.Path, Format = "both", Width = 300, Height = 200 }, console.Console, errors);

        Assert.Equal(0, exit);
        Assert.Equal("", errors.ToString());
        string plots = Path.Combine(dir.Path, "plots");
        // One writer endpoint (5 plots: no latency histogram samples for latency over time) and one receiver with
        // only its connections sampled (1 plot), each as PNG and SVG; the series it lacks are named instead.
        Assert.Equal(12, Directory.GetFiles(plots).Length);
        Assert.Contains($"wrote 12 plot files to {plots}", console.Output);
        Assert.Contains("note: r: no accept backlog samples, so no backlog plot", console.Output);
        Assert.Contains("note: r: no SYN drop samples, so no SYN drop plot", console.Output);
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(plots, "receiver_r_connections.svg")));
    }

    [Fact]
    public void A_bad_record_file_gives_one_line_per_problem_and_exit_code_2()
    {
        using var dir = new TempDirectory();
        RunRecords.WriteTo(dir.Path);
        string pushes = Path.Combine(dir.Path, "pushes.csv");
        var lines = File.ReadAllLines(pushes);
        lines[2] = lines[2].Replace(",delivered,", ",maybe,");
        File.WriteAllLines(pushes, lines);
        var errors = new StringWriter();

        int exit = PlotCommand.Run(new PlotCommand.Settings { Directory = dir.Path }, new TestConsole().Console, errors);

        Assert.Equal(2, exit);
        Assert.Equal("pipelinesim: pushes.csv:3: result: 'maybe' is not delivered, failed or in_flight" + Environment.NewLine, errors.ToString());
    }

    [Fact]
    public void A_Parquet_time_beyond_what_a_run_can_hold_names_its_file_row_and_column_and_exits_2()
    {
        // Parquet holds any double; a time past ~29,000 years once escaped as "Arithmetic operation resulted in an
        // overflow." with no file or row.
        using var dir = new TempDirectory();
        using (var sink = new Analysis.Records.ParquetRecordSink(dir.Path))
        {
            foreach (var push in RunRecords.Pushes())
                sink.OnPush(push.PushId == 2 ? push with { End = new Core.Time.Instant(long.MaxValue) } : push);
            sink.Complete();
        }
        var errors = new StringWriter();

        int exit = PlotCommand.Run(new PlotCommand.Settings { Directory = dir.Path }, new TestConsole().Console, errors);

        Assert.Equal(2, exit);
        Assert.Matches(@"^pipelinesim: pushes\.parquet:\d+: end_s: '922337203685\.\d+' is not seconds within ±922337203685\r?\n$", errors.ToString());
    }

    [Fact]
    public void A_missing_directory_is_one_line_and_exit_code_2()
    {
        var errors = new StringWriter();
        int exit = PlotCommand.Run(new PlotCommand.Settings { Directory = "/nonexistent/run" }, new TestConsole().Console, errors);
        Assert.Equal(2, exit);
        Assert.Equal("pipelinesim: no such directory: /nonexistent/run" + Environment.NewLine, errors.ToString());
    }

    [Theory]
    [InlineData("gif", 1200, 800, "--format: 'gif' is not png, svg or both")]
    [InlineData("png", 50, 800, "--width: 50 is not between 100 and 10000")]
    [InlineData("png", 1200, 0, "--height: 0 is not between 100 and 10000")]
    public void Rejects_bad_options_naming_them(string format, int width, int height, string message)
    {
        var result = new PlotCommand.Settings { Directory = ".", Format = format, Width = width, Height = height }.Validate();
        Assert.False(result.Successful);
        Assert.Equal(message, result.Message);
    }

    [Fact]
    public void Runs_as_pipelinesim_plot_with_exit_codes_and_one_line_errors()
    {
        using var dir = new TempDirectory();
        RunRecords.WriteTo(dir.Path);

        var ok = CliRunner.Run("plot", dir.Path, "--format", "svg", "--width", "400", "--height", "300");
        Assert.Equal(0, ok.ExitCode);
        Assert.Equal(6, Directory.GetFiles(Path.Combine(dir.Path, "plots"), "*.svg").Length);
        Assert.Contains("wrote 6 plot files", ok.StdOut);

        var bad = CliRunner.Run("plot", dir.Path, "--format", "gif");
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("pipelinesim: --format: 'gif' is not png, svg or both", bad.StdErr.TrimEnd());
    }

    [Fact]
    public void With_the_scenario_the_titles_name_it_and_its_seed_and_the_time_plots_mark_its_faults()
    {
        using var dir = new TempDirectory();
        RunRecords.WriteTo(dir.Path);
        string scenario = Path.Combine(RepositoryRoot(), "scenarios", "timeout-chain.yaml");

        var result = CliRunner.Run("plot", dir.Path, "--format", "svg", "--scenario", scenario, "--seed", "11");

        Assert.Equal(0, result.ExitCode);
        string outcomes = File.ReadAllText(Path.Combine(dir.Path, "plots", "endpoint_w1_http-r-4040_outcomes.svg"));
        Assert.Contains("timeout-chain, seed 11: w1 → http://r:4040: push outcomes over time", outcomes);
        Assert.Contains("fault: drop-idle-flows w2-&gt;pyroscope at 10m0s", outcomes);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PipelineSim.sln"))) return directory.FullName;
        }
        throw new DirectoryNotFoundException("no PipelineSim.sln above the test output");
    }
}
