using System.Diagnostics;

namespace PipelineSim.Cli.Tests;

/// <summary>What one run of the command printed and returned.</summary>
public sealed record CliResult(int ExitCode, string StdOut, string StdErr);

/// <summary>
/// Runs the real <c>pipelinesim</c> in a child process, as a user would (the test project's output holds
/// pipelinesim.dll): the console, exit codes and files are the product's, and tests cannot disturb each other's
/// console state.
/// </summary>
public static class CliRunner
{
    private static readonly string Entry = Path.Combine(AppContext.BaseDirectory, "pipelinesim.dll");

    /// <summary>The pipelinesim.dll the tests run, for tests that start it their own way (in a shell, with a signal).</summary>
    public static string EntryPath => Entry;

    /// <summary>The checkout the tests run from (the folder holding PipelineSim.sln), for files such as scenarios/.</summary>
    public static string RepositoryRoot => RepositoryPaths.Root;

    public static CliResult Run(params string[] args) => RunIn(Directory.GetCurrentDirectory(), args);

    /// <summary>
    /// How to start the command for a test that signals it: through <c>env --default-signal=INT</c>, so that SIGINT
    /// reaches it as Ctrl+C reaches a command in the foreground. A command started in the background by a
    /// non-interactive shell (a CI script's <c>cmd &amp;</c>) inherits SIGINT ignored, as POSIX has it, and .NET keeps
    /// an ignored SIGINT ignored: without this the signal tests passed or failed by how the suite was launched.
    /// </summary>
    public static ProcessStartInfo SignalableStart(params string[] args)
    {
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--default-signal=INT", "dotnet", Entry }.Concat(args)) start.ArgumentList.Add(arg);
        return start;
    }

    public static CliResult RunIn(string workingDirectory, params string[] args) => Run(workingDirectory, stdin: null, args);

    /// <summary>Runs with <paramref name="stdin"/> as the command's standard input.</summary>
    public static CliResult RunWithInput(string stdin, params string[] args) => Run(Directory.GetCurrentDirectory(), stdin, args);

    private static CliResult Run(string workingDirectory, string? stdin, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Entry);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["COLUMNS"] = "200"; // wide tables, so assertions see whole cells
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"pipelinesim {string.Join(' ', args)} did not finish in 2 minutes.");
        }
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
