namespace PipelineSim.Alloy.Tests;

/// <summary>The Alloy configs in ../shared/alloy-corpus beside the checkout (read in place, never copied).</summary>
internal static class Corpus
{
    public static string Root { get; } = FindRoot();

    public static string Directory => Path.Combine(Root, "..", "shared", "alloy-corpus");

    /// <summary>The path of the corpus file whose name starts with <paramref name="number"/> (like "09").</summary>
    public static string File(string number) =>
        System.IO.Directory.GetFiles(Directory, number + "-*.alloy").Single();

    public static IEnumerable<object[]> Numbers() =>
        System.IO.Directory.GetFiles(Directory, "*.alloy").Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .Select(name => new object[] { name![..2] });

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "PipelineSim.sln"))) return directory.FullName;
        }
        throw new DirectoryNotFoundException("no PipelineSim.sln above the test output");
    }
}
