using PipelineSim.Live.Bench;
using PipelineSim.Live.Tests.Support;

namespace PipelineSim.Live.Tests.Bench;

[Trait(LiveTrait.Name, LiveTrait.Value)]
public class ReceiverBenchTests
{
    [Fact]
    public async Task Both_servers_answer_and_the_ratio_is_theirs()
    {
        // A cold process can spend the whole 300 ms in the JIT on a busy machine and answer nothing.
        await Warmup.EnsureAsync();
        var report = await ReceiverBench.RunAsync(new ReceiverBenchOptions
        {
            Duration = TimeSpan.FromMilliseconds(300),
            Warmup = TimeSpan.FromMilliseconds(100),
            Connections = 4,
            ConnLimit = 4,
        });
        Assert.True(report.Receiver.Requests > 0 && report.Bare.Requests > 0);
        Assert.Equal(report.Receiver.PerSecond / report.Bare.PerSecond, report.Ratio, 9);
        // The counting window lasts the duration (a timer may fire up to a millisecond early); how much longer a busy
        // machine holds it open is not the bench's to promise.
        Assert.True(report.Receiver.Elapsed >= TimeSpan.FromMilliseconds(290), $"counted for {report.Receiver.Elapsed}");
    }

    [Fact]
    public async Task A_limit_below_the_clients_is_refused() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            ReceiverBench.RunAsync(new ReceiverBenchOptions { Connections = 8, ConnLimit = 2 }));
}
