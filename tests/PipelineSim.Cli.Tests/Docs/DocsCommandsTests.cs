using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace PipelineSim.Cli.Tests.Docs;

/// <summary>
/// Every command shown in a ```bash block of README.md and docs/**/*.md runs, as SimPy's documentation runs its
/// examples: through the real <c>pipelinesim</c> (<see cref="CliRunner"/>), page by page in the order written (a
/// <c>plot</c> may read what a <c>run</c> above it wrote), from a temporary directory that holds a copy of every
/// repository file or folder the commands name, so outputs never land in the repository. Each must exit 0, or 1 for
/// <c>lint</c>, which reports findings that way. The failure lists every command of the page with its outcome.
/// </summary>
/// <remarks>
/// Trait Live: some documented commands (<c>live</c>, <c>compare</c>) run pipelines on loopback in real time, so the
/// class runs with the live suite, after the CPU-heavy simulation tests.
/// </remarks>
[Trait("Category", "Live")]
public class DocsCommandsTests(ITestOutputHelper output)
{
    private static readonly Lazy<string> Root = new(() => RepositoryPaths.Root);

    /// <summary>README.md and every Markdown file under docs/, as paths relative to the repository root.</summary>
    private static IEnumerable<string> Pages() =>
        new[] { "README.md" }.Concat(
            Directory.EnumerateFiles(Path.Combine(Root.Value, "docs"), "*.md", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(Root.Value, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal));

    private static IReadOnlyList<DocCommand> CommandsIn(string page) => DocCommands.Find(page, File.ReadAllText(Path.Combine(Root.Value, page)));

    private static IEnumerable<string> PagesWithAnyCommand() => Pages().Where(p => CommandsIn(p).Count > 0);

    public static TheoryData<string> PagesWithCommands => [.. PagesWithAnyCommand()];

    [Fact]
    public void The_pages_are_found_and_the_readme_shows_the_main_command()
    {
        var readme = CommandsIn("README.md");

        Assert.Contains(readme, c => c.Text == "dotnet run --project src/PipelineSim.Cli -- run scenarios/timeout-chain.yaml");
        Assert.Contains("docs/tutorial/first-run.md", PagesWithAnyCommand());
    }

    [Theory]
    [MemberData(nameof(PagesWithCommands))]
    public void Every_command_on_the_page_runs(string page)
    {
        using var temp = new TempDirectory();
        // The commands run in <temp>/repo beside <temp>/shared, a link to the checkout's sibling shared/, so a page
        // may name the Alloy corpus as ../shared/alloy-corpus, as a user in a checkout would.
        string work = Directory.CreateDirectory(Path.Combine(temp.Path, "repo")).FullName;
        string shared = Path.GetFullPath(Path.Combine(Root.Value, "..", "shared"));
        if (Directory.Exists(shared)) Directory.CreateSymbolicLink(Path.Combine(temp.Path, "shared"), shared);
        var report = new List<string>();
        bool failed = false;
        foreach (var command in CommandsIn(page))
        {
            if (command.PipelinesimArguments is not { Count: > 0 } args)
            {
                failed = true;
                report.Add($"FAIL {command}\n     not a pipelinesim command: write `dotnet run -c Release --project src/PipelineSim.Cli -- ...`, " +
                    "or show it in a ```console block");
                continue;
            }
            CopyNamedFiles(args, work);
            var clock = Stopwatch.StartNew();
            var result = CliRunner.RunIn(work, [.. args]);
            bool ok = result.ExitCode == 0 || (result.ExitCode == 1 && args[0] == "lint");
            string took = clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
            report.Add($"{(ok ? "ok  " : "FAIL")} {command} (exit {result.ExitCode}, {took} s)"
                + (ok ? "" : $"\n     stdout: {Tail(result.StdOut)}\n     stderr: {Tail(result.StdErr)}"));
            failed |= !ok;
        }
        output.WriteLine(string.Join("\n", report));
        Assert.False(failed, string.Join("\n", report));
    }

    [Fact]
    public void Commands_name_no_absolute_path_into_the_checkout()
    {
        // The documented commands write under runs/ by default: in the temporary copy, never in the checkout. A
        // checkout's runs/ may hold a developer's own results, so only the files the tests would write are looked for.
        foreach (string page in PagesWithAnyCommand())
        {
            Assert.All(CommandsIn(page), c => Assert.False(
                c.Words.Any(w => Path.IsPathRooted(w) && w.StartsWith(Root.Value, StringComparison.Ordinal)),
                $"{c} names a path inside the checkout"));
        }
    }

    /// <summary>Copies each repository file or folder an argument names (a relative path that exists) into the work directory, once.</summary>
    private static void CopyNamedFiles(IReadOnlyList<string> args, string work)
    {
        foreach (string arg in args)
        {
            string path = arg.Contains('=') && arg.StartsWith("--", StringComparison.Ordinal) ? arg[(arg.IndexOf('=') + 1)..] : arg;
            if (path.Length == 0 || Path.IsPathRooted(path) || path.Split('/', '\\').Contains("..")) continue;
            string source = Path.Combine(Root.Value, path), target = Path.Combine(work, path);
            if (File.Exists(target) || Directory.Exists(target)) continue;
            if (File.Exists(source))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(source, target);
            }
            else if (Directory.Exists(source) && !path.StartsWith("runs", StringComparison.Ordinal))
            {
                CopyDirectory(source, target);
            }
        }
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.EnumerateFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        foreach (string dir in Directory.EnumerateDirectories(source))
        {
            string name = Path.GetFileName(dir);
            if (name is not ("bin" or "obj")) CopyDirectory(dir, Path.Combine(target, name));
        }
    }

    private static string Tail(string text)
    {
        var lines = text.TrimEnd().Split('\n');
        return string.Join("\n             ", lines.TakeLast(8));
    }
}
