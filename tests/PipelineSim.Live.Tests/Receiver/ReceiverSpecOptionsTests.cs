using PipelineSim.Core.Options;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Spec;

namespace PipelineSim.Live.Tests.Receiver;

/// <summary>The live receiver takes the scenario's <see cref="ReceiverSpec"/>: its validation and its backlog as the kernel applies it.</summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public class ReceiverSpecOptionsTests
{
    private static ReceiverSpec Loopback => new() { Name = "r", Http = new ReceiveHttpOptions { ListenPort = 0 } };

    [Fact]
    public async Task An_invalid_spec_is_refused_with_every_problem_before_anything_listens()
    {
        var error = await Assert.ThrowsAsync<SpecException>(() =>
            LiveReceiver.StartAsync(Loopback with { AcceptBacklog = 0, MaxRequestBodyBytes = 0 }, new LiveContext()));
        Assert.Equal(["r.accept_backlog: must be at least 1", "r.max_request_body: must be at least 1 byte"],
            error.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public async Task The_accept_backlog_is_the_listen_backlog_capped_at_somaxconn_as_linux_caps_it()
    {
        // /proc/sys/net/core/somaxconn on Linux (4096 where it cannot be read).
        int somaxconn = ListenQueueProbe.SystemMaxBacklog();
        Assert.True(somaxconn > 16);

        await using (var small = await LiveReceiver.StartAsync(Loopback with { AcceptBacklog = 16 }, new LiveContext()))
        {
            Assert.Equal(16, small.ListenBacklog);
            Assert.Equal(17, small.Stats().AcceptBacklogCapacity); // Linux holds backlog + 1
        }
        await using var large = await LiveReceiver.StartAsync(Loopback with { AcceptBacklog = int.MaxValue }, new LiveContext());
        Assert.Equal(somaxconn, large.ListenBacklog);
        Assert.Equal(somaxconn + 1, large.Stats().AcceptBacklogCapacity);
    }
}
