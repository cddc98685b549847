namespace PipelineSim.Cli.Tests.Docs;

public class DocCommandsParserTests
{
    private const string Page = """
        Text with `dotnet run` in it is not a command.

        ```bash
        # a comment
        dotnet run -c Release --project src/PipelineSim.Cli -- run scenarios/a.yaml --plots

        dotnet run -c Release --project src/PipelineSim.Cli -- plan scenarios/b.yaml --receiver r \
            --slo "delivered>=99%" --slo 'p99<5s'   # trailing comment
        ```

        ```console
        dotnet run -c Release --project src/PipelineSim.Cli -- serve proxy --listen 127.0.0.1:4041
        ```

        ```text
        pipelinesim run FILE [--seed N]
        ```

        ```bash
        ./test.sh
        ```
        """;

    [Fact]
    public void Bash_blocks_give_one_command_per_line_with_continuations_and_quotes()
    {
        var commands = DocCommands.Find("page.md", Page);

        Assert.Equal([5, 7, 20], commands.Select(c => c.Line));
        Assert.Equal(["run", "scenarios/a.yaml", "--plots"], commands[0].PipelinesimArguments);
        Assert.Equal(["plan", "scenarios/b.yaml", "--receiver", "r", "--slo", "delivered>=99%", "--slo", "p99<5s"], commands[1].PipelinesimArguments);
        Assert.Null(commands[2].PipelinesimArguments); // not pipelinesim: the test reports it instead of running it
        Assert.Equal("page.md:7: dotnet run -c Release --project src/PipelineSim.Cli -- plan scenarios/b.yaml --receiver r --slo \"delivered>=99%\" --slo 'p99<5s' # trailing comment",
            commands[1].ToString());
    }

    [Theory]
    [InlineData("dotnet run --project src/PipelineSim.Cli -- run x.yaml", new[] { "run", "x.yaml" })]
    [InlineData("dotnet run -c Release --project src/PipelineSim.Cli/ -- validate x.yaml", new[] { "validate", "x.yaml" })]
    [InlineData("dotnet run -c Release --project benchmarks/PipelineSim.Benchmarks -- --filter '*'", null)]
    [InlineData("dotnet build PipelineSim.sln", null)]
    public void Only_the_pipelinesim_project_is_run(string line, string[]? expected) =>
        Assert.Equal(expected, DocCommands.Find("p.md", $"```bash\n{line}\n```").Single().PipelinesimArguments);

    [Theory]
    [InlineData(@"a ""b c"" 'd e' f\ g", new[] { "a", "b c", "d e", "f g" })]
    [InlineData(@"a ""q\""uote"" b#c # gone", new[] { "a", "q\"uote", "b#c" })]
    public void Words_follow_the_shells_quoting(string text, string[] words) =>
        Assert.Equal(words, DocCommands.Words(text));
}
