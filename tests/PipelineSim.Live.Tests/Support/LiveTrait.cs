namespace PipelineSim.Live.Tests;

/// <summary>
/// The trait of every test that opens sockets or waits on real time: <c>--filter Category=Live</c> runs the live suite
/// alone, <c>--filter Category!=Live</c> everything that needs neither (the rule and format tests of this project).
/// </summary>
public static class LiveTrait
{
    public const string Name = "Category";

    public const string Value = "Live";
}
