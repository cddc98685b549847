using Spectre.Console;

namespace PipelineSim.Cli.Tests;

/// <summary>A Spectre console writing plain text (no colour, no ANSI) into a string, wide enough for the tables.</summary>
internal sealed class TestConsole
{
    private readonly StringWriter writer = new();

    public TestConsole(int width = 200)
    {
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        Console.Profile.Width = width;
    }

    public IAnsiConsole Console { get; }

    public string Output => writer.ToString();
}
