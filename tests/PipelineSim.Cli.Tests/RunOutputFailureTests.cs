using System.Diagnostics;

namespace PipelineSim.Cli.Tests;

/// <summary>
/// A run whose outputs cannot be written, or that is killed, leaves nothing that looks like results (issue 13,
/// "Outputs"): no <c>.partial</c> files filling the disk, no finished-looking CSVs without <c>summary.json</c>, and one
/// line that says what happened and that the files were removed. Each case runs the real executable in a child process.
/// </summary>
public sealed class RunOutputFailureTests : IDisposable
{
    // A few seconds of records, tens of MiB of CSV: far past the file size limit below, over in about a second.
    private const string Chain = """
        name: output-failure
        duration: 10m
        seed: 4
        sources:
          agents: { count: 400, push_interval: 15s, profiles_per_push: 4, to: w1 }
        components:
          w1: { kind: pyroscope.write, endpoints: [ { url: r } ] }
          r:  { kind: pyroscope.receive_http, forward_to: [w2] }
          w2: { kind: pyroscope.write, endpoints: [ { url: pyroscope } ] }
          pyroscope: { kind: backend, latency: "uniform(100ms, 300ms)" }
        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Scenario()
    {
        string path = Path.Combine(_temp.Path, "chain.yaml");
        File.WriteAllText(path, Chain);
        return path;
    }

    private static string[] Entries(string directory) =>
        [.. Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public void Reaching_the_file_size_limit_mid_run_removes_every_partial_file_and_says_so_in_one_line()
    {
        // ulimit -f caps every file this process writes at 64 KiB, as a nearly full disk would; with SIGXFSZ ignored the
        // write fails with EFBIG instead of killing the process. Write-xor-execute off: the runtime's double-mapped
        // code pages live in a file that the limit would otherwise refuse.
        string output = Path.Combine(_temp.Path, "out");
        string command = $"trap '' XFSZ; ulimit -f 64; exec dotnet '{CliRunner.EntryPath}' run '{Scenario()}' --out '{output}'";
        var result = RunShell(command, ("DOTNET_EnableWriteXorExecute", "0"));

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.StdErr.TrimEnd('\n').Split('\n'));
        Assert.Matches(@"^pipelinesim: cannot write results to .*/out: File too large: .*\.csv\.partial reached the file size limit " +
            @"\(the run's partial files were removed; no results were kept\)$", line);
        Assert.Empty(Entries(output));
    }

    [Fact]
    public void A_failure_writing_the_summary_removes_the_records_already_moved_into_place()
    {
        // Room for the CSVs, but summary.json cannot be written (a directory holds its name): the CSVs would otherwise
        // stand there finished-looking, without the summary that marks a run complete.
        string output = Path.Combine(_temp.Path, "out");
        Directory.CreateDirectory(Path.Combine(output, "summary.json"));

        var result = CliRunner.Run("run", Scenario(), "--duration", "1m", "--out", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Matches(@"^pipelinesim: cannot write results to .*/out: .*summary\.json.* \(the run's partial files were removed; no results were kept\)\n$",
            result.StdErr);
        Assert.Equal(["summary.json"], Entries(output));
        Assert.True(Directory.Exists(Path.Combine(output, "summary.json")), "the directory in the way is not the run's to remove");
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task A_signalled_run_leaves_no_partial_files(string signal)
    {
        string output = Path.Combine(_temp.Path, "out");
        string scenario = Path.Combine(CliRunner.RepositoryRoot, "scenarios", "fleet-10k.yaml"); // seconds of run, writing 1 GB
        using var process = Process.Start(CliRunner.SignalableStart("run", scenario, "--out", output))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var waited = Stopwatch.StartNew();
            while (!(Directory.Exists(output) && Directory.EnumerateFiles(output, "*.partial").Any()))
            {
                if (process.HasExited) Assert.Fail($"the run ended before writing: {await stderr}");
                Assert.True(waited.Elapsed < TimeSpan.FromMinutes(1), "no partial file appeared within a minute");
                await Task.Delay(50);
            }

            using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(bound.Token); // throws when the run outlives the signal by 30 s
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }

        Assert.NotEqual(0, process.ExitCode);
        Assert.Empty(Entries(output));
        await stdout;
    }

    [Fact]
    public void An_empty_out_is_refused_before_the_run()
    {
        var result = CliRunner.Run("run", Scenario(), "--out", "");
        Assert.Equal((2, "pipelinesim: --out: an empty path names no directory\n"), (result.ExitCode, result.StdErr));
    }

    private static CliResult RunShell(string command, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish in 2 minutes.");
        }
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
