using System.Text;
using PipelineSim.Alloy.Config;
using PipelineSim.Alloy.Import;
using PipelineSim.Alloy.Lint;
using PipelineSim.Alloy.Syntax;

namespace PipelineSim.Alloy.Tests;

/// <summary>
/// Mutated corpus files (a fixed seed, a bounded count): reading, linting and importing never throw, never hang, and
/// every error names the file and a line and column inside it.
/// </summary>
public class FuzzTests
{
    private const int MutationsPerFile = 80;
    private const string Alphabet = "{}[]()\",=.\n\t /*`\\+-!^<>|&%'0123456789eE_abcxyzé😀\r\0";

    [Theory]
    [MemberData(nameof(Corpus.Numbers), MemberType = typeof(Corpus))]
    public async Task Mutated_corpus_files_give_positioned_errors_never_an_exception(string number)
    {
        string path = Corpus.File(number);
        string original = File.ReadAllText(path);
        var random = new Random(int.Parse(number) * 7919);
        var work = Task.Run(() =>
        {
            for (int i = 0; i < MutationsPerFile; i++)
            {
                string text = Mutate(original, random);
                string name = $"{number}-mutant-{i}.alloy";
                Check(name, text);
            }
        });
        // A bound far above the work (a few milliseconds per mutant) only so a hang fails instead of stalling the run.
        var finished = await Task.WhenAny(work, Task.Delay(TimeSpan.FromMinutes(2)));
        Assert.True(finished == work, "reading a mutated file hung");
        await work;
    }

    private static void Check(string name, string text)
    {
        int lines = text.Split('\n').Length;
        var config = AlloyConfig.Read([(name, text)]);
        foreach (var error in config.Errors)
        {
            Assert.Equal(name, error.At.File);
            Assert.InRange(error.At.Line, 1, lines);
            Assert.True(error.At.Column >= 1, error.ToString());
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
        }
        var pipeline = PipelineReader.Read(config);
        var report = Linter.Lint(pipeline, new LintOptions { Agents = 1000 });
        Assert.All(report.Findings.SelectMany(f => f.At), at => Assert.InRange(at.Line, 1, lines));
        if (report.SyntaxErrors.Count == 0)
        {
            var imported = ScenarioImporter.Import(pipeline, new ImportOptions());
            Assert.True(imported.Yaml is not null || imported.Problems.Count > 0);
        }
    }

    private static string Mutate(string text, Random random)
    {
        var s = new StringBuilder(text);
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits && s.Length > 0; e++)
        {
            int at = random.Next(s.Length);
            switch (random.Next(6))
            {
                case 0: // delete a span
                    s.Remove(at, Math.Min(random.Next(1, 12), s.Length - at));
                    break;
                case 1: // insert syntax
                    s.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 2: // duplicate a span
                    int length = Math.Min(random.Next(1, 40), s.Length - at);
                    s.Insert(at, s.ToString(at, length));
                    break;
                case 3: // replace a character
                    s[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                case 4: // cut the file short
                    s.Length = at;
                    break;
                default: // nest deeply at a random place
                    s.Insert(at, new string('[', random.Next(1, 400)));
                    break;
            }
        }
        // A lone surrogate from a cut emoji is what a broken file may hold too.
        return s.ToString();
    }
}
