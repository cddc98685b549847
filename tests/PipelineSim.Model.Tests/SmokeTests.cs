using PipelineSim.Model.Spec;
using static PipelineSim.Model.Tests.Pipelines;

namespace PipelineSim.Model.Tests;

public class SmokeTests
{
    [Fact]
    public void A_clean_chain_delivers_everything()
    {
        var sink = new RecordingSink();
        var result = SimulationRun.Execute(TimeoutChain(dropAt: M(100)), sink);
        Assert.True(result.Conservation.Holds, result.Conservation.ToString());
        Assert.Equal(0, result.Writer("w1").Failed);
        Assert.True(result.Writer("w1").Delivered > 1000, result.Writer("w1").Delivered.ToString());
    }
}
