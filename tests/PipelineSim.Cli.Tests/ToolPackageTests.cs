using System.Diagnostics;
using System.IO.Compression;
using System.Text;

namespace PipelineSim.Cli.Tests;

/// <summary>
/// The tool as a user installs it (docs/guides/install.md): <c>dotnet pack</c> makes the package, <c>dotnet tool
/// install</c> puts it into a tool path, and the installed <c>pipelinesim</c> validates a shipped scenario. The install
/// reads only the freshly packed directory (a NuGet config that clears every other source) and restores into its own
/// package folder, so it needs no network and never picks up an older pipelinesim 0.1.0 from the user's cache.
/// </summary>
public sealed class ToolPackageTests : IDisposable
{
    private static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(4);
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Packed_tool_installs_into_a_tool_path_and_validates_a_shipped_scenario()
    {
        string root = RepositoryRoot();
        string packDirectory = Path.Combine(temp.Path, "pack");
        string toolPath = Path.Combine(temp.Path, "tools");
        // The test's own build already built the CLI in this configuration; pack reuses it.
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";

        var pack = Run("dotnet", temp.Path, [], "pack", Path.Combine(root, "src", "PipelineSim.Cli"), "-c", configuration, "--no-build", "-o", packDirectory, "-nologo");
        Assert.True(pack.ExitCode == 0, pack.ToString());
        string package = Assert.Single(Directory.GetFiles(packDirectory, "*.nupkg"));
        Assert.Equal("pipelinesim.0.1.0.nupkg", Path.GetFileName(package));
        // The CLI references the workloads library, not the BenchmarkDotNet project: the tool carries neither
        // BenchmarkDotNet nor the Roslyn compilers it pulls in.
        using (var zip = ZipFile.OpenRead(package))
        {
            var assemblies = zip.Entries.Select(entry => entry.Name).Where(name => name.EndsWith(".dll", StringComparison.Ordinal)).ToList();
            Assert.Contains("PipelineSim.Workloads.dll", assemblies);
            Assert.DoesNotContain(assemblies, name => name.StartsWith("BenchmarkDotNet", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) || name == "PipelineSim.Benchmarks.dll");
        }

        string config = Path.Combine(temp.Path, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="pipelinesim-pack" value="{packDirectory}" />
              </packageSources>
            </configuration>
            """);
        var install = Run("dotnet", temp.Path, new() { ["NUGET_PACKAGES"] = Path.Combine(temp.Path, "nuget-packages") },
            "tool", "install", "pipelinesim", "--tool-path", toolPath, "--configfile", config);
        Assert.True(install.ExitCode == 0, install.ToString());

        string scenario = Path.Combine(root, "scenarios", "timeout-chain.yaml");
        var validate = Run(Path.Combine(toolPath, "pipelinesim"), temp.Path, [], "validate", scenario);
        Assert.True(validate.ExitCode == 0, validate.ToString());
        Assert.Contains($"{scenario}: OK (timeout-chain:", validate.StdOut);
    }

    private sealed record Outcome(int ExitCode, string StdOut, string StdErr)
    {
        public override string ToString() => $"exit {ExitCode}\n{StdOut}\n{StdErr}";
    }

    private static Outcome Run(string file, string workingDirectory, Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(StepLimit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {StepLimit.TotalMinutes} minutes.");
        }
        return new Outcome(process.ExitCode, stdout.Result, stderr.Result);
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
