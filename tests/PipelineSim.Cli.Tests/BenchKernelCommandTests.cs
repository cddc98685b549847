namespace PipelineSim.Cli.Tests;

public class BenchKernelCommandTests
{
    [Fact]
    public void Prints_every_workload_with_its_rate_and_the_summary_against_the_targets()
    {
        var result = CliRunner.Run("bench", "kernel", "--scale", "0.01");
        Assert.True(result.ExitCode == 0, result.StdErr);
        foreach (var workload in new[] { "timeouts n=1 ", "timeouts n=100 ", "timeouts n=10,000", "process churn", "resource ping-pong", "bare heap" })
            Assert.Contains(workload, result.StdOut);
        Assert.Matches(@"timeouts n=10,000: \d+\.\d M events/s \(target 10 M\), \d+ % of the bare heap", result.StdOut);
    }

    [Fact]
    public void Refuses_a_scale_out_of_range_in_one_line()
    {
        var result = CliRunner.Run("bench", "kernel", "--scale", "0");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--scale must be in (0, 100]", result.StdOut + result.StdErr);
        Assert.DoesNotContain("   at ", result.StdOut + result.StdErr); // no stack trace
    }

    [Fact]
    public void Version_and_help_work()
    {
        var version = CliRunner.Run("--version");
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.StdOut.Trim());
        var help = CliRunner.Run("--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("bench", help.StdOut);
    }
}
