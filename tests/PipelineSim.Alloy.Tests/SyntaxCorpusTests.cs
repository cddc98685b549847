using PipelineSim.Alloy.Syntax;

namespace PipelineSim.Alloy.Tests;

public class SyntaxCorpusTests
{
    [Theory]
    [MemberData(nameof(Corpus.Numbers), MemberType = typeof(Corpus))]
    public void Every_corpus_file_parses_without_a_syntax_error(string number)
    {
        string path = Corpus.File(number);
        var file = Parser.ParseFile(path, File.ReadAllText(path));
        Assert.Empty(file.Errors);
        Assert.NotEmpty(file.Body);
    }

    [Fact]
    public void The_corpus_holds_the_22_files_the_index_describes()
    {
        Assert.Equal(22, Corpus.Numbers().Count());
    }
}
