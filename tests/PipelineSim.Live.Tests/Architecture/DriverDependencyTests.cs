using PipelineSim.Live;
using PipelineSim.Live.Tests.Support;

namespace PipelineSim.Live.Tests.Architecture;

/// <summary>
/// The live driver reads the spec contract and asks Core every question; it never reaches into the simulator. If it
/// could, a rule could quietly be decided by simulator code on one side and by live code on the other.
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public class DriverDependencyTests
{
    [Theory]
    [InlineData("PipelineSim.Model")]
    [InlineData("PipelineSim.Kernel")]
    public void The_live_driver_does_not_reference_the_simulator(string simulatorAssembly)
    {
        var references = typeof(LiveContext).Assembly.GetReferencedAssemblies().Select(a => a.Name);
        Assert.DoesNotContain(simulatorAssembly, references);
    }

    [Fact]
    public void The_live_driver_reads_the_spec_contract_and_core()
    {
        var references = typeof(LiveContext).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.Contains("PipelineSim.Spec", references);
        Assert.Contains("PipelineSim.Core", references);
    }
}
