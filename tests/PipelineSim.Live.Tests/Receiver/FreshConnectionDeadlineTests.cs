using PipelineSim.Spec;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Live.Time;
using PipelineSim.Live.Writer;
using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Receiver;

/// <summary>
/// The other side of <see cref="BacklogDeadlineTests"/>, on a real clock run 20 times faster: a request on a fresh
/// connection the receiver accepted at once comes after the accept, so it counts from the writer's stated arrival and
/// the accept's stamp must not move it. That stamp carries the real dial and scheduling delays (here a millisecond or
/// more of scenario time per connection), which would put the receiver's deadline after the writer's and turn the
/// deadline race around; counted from the stated arrival it is never after it, whatever the machine's load.
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public class FreshConnectionDeadlineTests
{
    private const int Pushes = 5;

    [Fact]
    public async Task A_request_on_a_connection_accepted_before_it_came_keeps_the_writers_deadline()
    {
        await Warmup.EnsureAsync();
        var records = new RecordingSink();
        var context = new LiveContext(new LiveClock(timeScale: 0.05), records, seed: 3);
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope"), context);
        await using var receiver = await LiveReceiver.StartAsync(new ReceiverSpec { Name = "r", Http = new ReceiveHttpOptions { ListenPort = 0 } }, context);
        await using var w2 = new LiveWriter("w2", WriteTo(backend.BaseUri.ToString(), remoteTimeout: TimeSpan.FromMinutes(5)), context);
        receiver.ForwardTo([w2]);

        // A new writer each time: each push dials its own connection, accepted at once (no conn_limit in the way).
        for (int i = 0; i < Pushes; i++)
        {
            await using var w1 = new LiveWriter("w1", WriteTo(receiver.BaseUri.ToString(), remoteTimeout: TimeSpan.FromSeconds(10)), context);
            Assert.True((await w1.PushAsync(Push(), Agent($"agent-{i}"))).Succeeded);
        }

        Assert.Equal(Pushes, receiver.Stats().ConnectionsAccepted);
        var forwarded = records.Pushes.Where(p => p.Writer == "w2").ToList();
        Assert.Equal(Pushes, forwarded.Count);
        Assert.All(forwarded, p =>
        {
            var own = Assert.Single(records.Attempts, a => a.Writer == "w1" && a.PushId == p.ParentPushId).Deadline.When;
            // The writer's deadline less the header's truncation to whole milliseconds: before it, by less than 1 ms.
            Assert.InRange((own - p.ParentDeadline.When).TotalMilliseconds, 0, 1);
        });
    }
}
