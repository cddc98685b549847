using System.Diagnostics;

namespace PipelineSim.Cli.Tests;

/// <summary>
/// A run (or a model bench) stopped by SIGINT (Ctrl+C) or SIGTERM (a killed job, a container stop) cleans up: its <c>*.csv.partial</c>
/// files are removed (a killed fleet run used to leave 170 MB of them), it says so on stderr and exits with 128 + the
/// signal's number. The real <c>pipelinesim</c> runs in a child process that gets a real signal once its partial files
/// are being written.
/// </summary>
public sealed class RunCancellationTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData(2, 130)]  // SIGINT
    [InlineData(15, 143)] // SIGTERM
    public async Task A_signalled_run_removes_its_partial_files_and_exits_with_the_signal_code(int signal, int expectedExitCode)
    {
        string output = Path.Combine(temp.Path, "out");
        string scenario = Path.Combine(RepositoryRoot(), "scenarios", "fleet-10k.yaml");
        await SignalledAsync(signal, expectedExitCode, output, "run", scenario, "--out", output);
    }

    /// <summary><c>bench model</c> used to ignore the first signal: its measured run never looked at the token.</summary>
    [Fact]
    public async Task A_signalled_model_bench_stops_at_the_first_signal_and_removes_its_partial_records()
    {
        string output = Path.Combine(temp.Path, "bench");
        await SignalledAsync(15, 143, output, "bench", "model", "--agents", "20000", "--duration", "2h", "--out", output);
    }

    private static async Task SignalledAsync(int signal, int expectedExitCode, string output, params string[] command)
    {
        using var process = Process.Start(CliRunner.SignalableStart(command))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            while (!PartialFilesGrowing(output))
            {
                if (process.HasExited) Assert.Fail($"the run ended (exit {process.ExitCode}) before it was signalled: {await stderr}");
                Assert.True(clock.Elapsed < Limit, "no partial records appeared");
                await Task.Delay(100);
            }
            Assert.Equal(0, Kill(process.Id, signal));
            Assert.True(process.WaitForExit(Limit), "the run did not stop after the signal");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }

        Assert.Equal(expectedExitCode, process.ExitCode);
        Assert.Contains("stopped before the end", await stderr);
        Assert.Empty(Directory.GetFiles(output, "*", SearchOption.AllDirectories));
        Assert.DoesNotContain("conservation", await stdout);
    }

    private static bool PartialFilesGrowing(string directory) =>
        Directory.Exists(directory) && Directory.GetFiles(directory, "*.csv.partial").Any(file => new FileInfo(file).Length > 0);

    /// <summary>Sends a signal as a user or a supervisor would, with kill(1).</summary>
    private static int Kill(int pid, int signal)
    {
        using var kill = Process.Start("kill", ["-s", signal.ToString(System.Globalization.CultureInfo.InvariantCulture), pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        return kill.ExitCode;
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
