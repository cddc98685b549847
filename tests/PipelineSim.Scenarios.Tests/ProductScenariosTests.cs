namespace PipelineSim.Scenarios.Tests;

/// <summary>The scenario files the product ships must load with no problem, whatever else changes in the schema.</summary>
public class ProductScenariosTests
{
    public static TheoryData<string> Files()
    {
        var files = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(Path.Combine(Repository.Root, "scenarios"), "*.yaml").Order(StringComparer.Ordinal))
        {
            files.Add(Path.GetFileName(path));
        }
        return files;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Loads_without_problems(string file)
    {
        var result = ScenarioLoader.Load(Path.Combine(Repository.Root, "scenarios", file));
        Assert.True(result.IsOk, string.Join("\n", result.Error ?? []));
        Assert.NotEmpty(result.Value.Expectations);
    }
}
