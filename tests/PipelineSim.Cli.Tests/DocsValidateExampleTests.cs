using System.Text.RegularExpressions;

namespace PipelineSim.Cli.Tests;

/// <summary>
/// The docs quote what <c>pipelinesim validate</c> answers for shipped scenarios (the README's example went stale
/// once: 200 agents, 1 link and 2 expectations where the file had 20, 2 and 3). Every such quote in README.md and
/// docs/ must be the command's answer today, word for word.
/// </summary>
public sealed partial class DocsValidateExampleTests
{
    [Fact]
    public void Every_quoted_validate_answer_in_the_docs_is_what_validate_prints()
    {
        string root = RepositoryRoot();
        var docs = Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Append(Path.Combine(root, "README.md"));
        var quotes = docs
            .SelectMany(doc => QuotedAnswer().Matches(File.ReadAllText(doc)).Select(m => (Doc: Path.GetRelativePath(root, doc), File: m.Groups["file"].Value, Line: m.Value)))
            .ToList();
        Assert.NotEmpty(quotes);

        foreach (var group in quotes.GroupBy(q => q.File))
        {
            var answer = CliRunner.RunIn(root, "validate", group.Key);
            Assert.Equal(0, answer.ExitCode);
            foreach (var quote in group) Assert.True(answer.StdOut.TrimEnd() == quote.Line, $"{quote.Doc} quotes\n  {quote.Line}\nbut validate prints\n  {answer.StdOut.TrimEnd()}");
        }
    }

    [GeneratedRegex(@"(?<file>scenarios/[\w.-]+\.yaml): OK \([^)\n]*\)")]
    private static partial Regex QuotedAnswer();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PipelineSim.sln"))) return directory.FullName;
        }
        throw new DirectoryNotFoundException("no PipelineSim.sln above the test output");
    }
}
