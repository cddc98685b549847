using PipelineSim.Live.Backend;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Live.Time;
using PipelineSim.Live.Writer;
using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Writer;

/// <summary>
/// Many pushes on one endpoint finish together and return their connections to Core's pool from many threads. Core's
/// pool takes returns in time order, so each return must read the clock under the pool's lock: read before it, two
/// returns could swap their instants and the later one fail ("Time went backwards.") out of the push. On the real
/// clock, since a manual one stands still and cannot swap anything.
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public sealed class ConcurrentReturnTests
{
    [Fact]
    public async Task Pushes_finishing_together_return_their_connections_without_failing()
    {
        await Warmup.EnsureAsync();
        var context = new LiveContext(new LiveClock(1.0));
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope"), context);
        await using var writer = new LiveWriter("w", WriteTo(backend.BaseUri.ToString()), context);

        for (int round = 0; round < 40; round++)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() => writer.PushAsync(Push(), Agent($"agent-{i}")))));
            Assert.All(results, r => Assert.True(r.Succeeded, r.Error));
        }
    }
}
