namespace PipelineSim.Cli.Tests;

/// <summary>Where the repository is, found from the test output by the solution file above it.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = Find();

    public static string Scenario(string file) => Path.Combine(Root, "scenarios", file);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PipelineSim.sln"))) return directory.FullName;
        }
        throw new DirectoryNotFoundException("no PipelineSim.sln above the test output");
    }
}
