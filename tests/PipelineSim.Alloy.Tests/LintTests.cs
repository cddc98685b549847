using PipelineSim.Alloy.Config;
using PipelineSim.Alloy.Lint;

namespace PipelineSim.Alloy.Tests;

public class LintTests
{
    internal static LintReport LintFiles(LintOptions? options = null, params (string Name, string Text)[] files)
    {
        var pipeline = PipelineReader.Read(AlloyConfig.Read(files));
        return Linter.Lint(pipeline, options ?? new LintOptions());
    }

    internal static (string, string) CorpusFile(string number)
    {
        string path = Corpus.File(number);
        return (path, File.ReadAllText(path));
    }

    [Fact]
    public void Dump09()
    {
        var report = LintFiles(null, CorpusFile("09"));
        Console.WriteLine(LintJson.Write(report));
    }
}
