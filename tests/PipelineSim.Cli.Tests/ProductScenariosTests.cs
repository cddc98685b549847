using PipelineSim.Cli.Running;
using PipelineSim.Model;
using PipelineSim.Scenarios;

namespace PipelineSim.Cli.Tests;

/// <summary>
/// Every scenario shipped in scenarios/ is run in full, as <c>pipelinesim run</c> runs it, and every one of its
/// <c>expect:</c> claims must hold: the claims are the product's statements about Alloy's behaviour.
/// </summary>
public sealed class ProductScenariosTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("pipelinesim-product-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(CliRunner.RepositoryRoot, "scenarios"), "*.yaml").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_claim_of_the_shipped_scenario_holds(string file)
    {
        var loaded = ScenarioLoader.Load(Path.Combine(CliRunner.RepositoryRoot, "scenarios", file));
        Assert.True(loaded.IsOk, loaded.IsOk ? "" : string.Join('\n', loaded.Error));
        var scenario = loaded.Value;
        Assert.NotEmpty(scenario.Expectations);

        var result = ScenarioExecution.Run(scenario, _output, new RunOptions());

        Assert.True(result.Simulation.Conservation.Holds, result.Simulation.Conservation.ToString());
        var failed = result.Expectations.Where(e => !e.Passed).Select(e => e.ToString()).ToList();
        Assert.True(failed.Count == 0, string.Join('\n', failed));
    }

    [Fact]
    public void Scenarios_are_found() => Assert.True(Scenarios().Count >= 10);
}
