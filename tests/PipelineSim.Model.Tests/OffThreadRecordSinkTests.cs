using PipelineSim.Core.Records;
using PipelineSim.Model.Recording;
using static PipelineSim.Model.Tests.Pipelines;

namespace PipelineSim.Model.Tests;

public class OffThreadRecordSinkTests
{
    [Fact]
    public void The_inner_sink_gets_every_record_in_the_order_the_run_made_them()
    {
        var direct = new RecordingSink();
        SimulationRun.Execute(TimeoutChain(duration: M(12)), direct);

        var behind = new RecordingSink();
        using (var off = new OffThreadRecordSink(behind))
        {
            SimulationRun.Execute(TimeoutChain(duration: M(12)), off);
            off.Complete();
        }
        Assert.Equal(direct.Pushes, behind.Pushes);
        Assert.Equal(direct.Attempts, behind.Attempts);
        Assert.Equal(direct.Samples, behind.Samples);
    }

    private sealed class Failing : IRecordSink
    {
        public void OnPush(in PushRecord push) => throw new IOException("disk full");

        public void OnAttempt(in AttemptRecord attempt)
        {
        }

        public void OnSample(in MetricSample sample)
        {
        }
    }

    [Fact]
    public void A_failure_of_the_inner_sink_comes_back_to_the_caller_as_it_was_thrown()
    {
        // As if the sink ran on the caller's thread: a caller that handles IOException (a full disk) still can.
        using var off = new OffThreadRecordSink(new Failing());
        var error = Assert.Throws<IOException>(() =>
        {
            SimulationRun.Execute(TimeoutChain(duration: M(2)), off);
            off.Complete();
        });
        Assert.Equal("disk full", error.Message);
    }
}
