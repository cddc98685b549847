using PipelineSim.Core.Time;
using PipelineSim.Live.Connect;
using PipelineSim.Live.Hosting;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Live.Time;

namespace PipelineSim.Live.Tests.Connect;

/// <summary>
/// Where a live server counts <c>Connect-Timeout-Ms</c> from, fed instants (no sockets): the writer's stated arrival
/// on a connection accepted before it, the accept for a request that waited in the backlog, the actual arrival for a
/// request whose instant cannot be trusted.
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public class DeadlineAnchorTests
{
    private static readonly LiveClock Clock = new(timeScale: 0.1);
    private static readonly LiveClock Foreign = new(timeScale: 0.1);

    public enum Header
    {
        None,
        Ours,
        Foreign,
        Garbled,
    }

    /// <summary>
    /// Milliseconds of scenario time: the writer states the request arrives at <paramref name="sentMs"/>, the server
    /// read its headers at 5000 and accepted its connection at <paramref name="acceptedMs"/> (null: no stamp), the
    /// request <paramref name="queued"/> in the socket before the accept was called, which a conn_limit had
    /// <paramref name="heldBack"/>.
    /// </summary>
    [Theory]
    [InlineData(Header.Ours, 1000L, 200L, false, false, 1000L)]  // accepted before the request came: the stated arrival
    [InlineData(Header.Ours, 1000L, 200L, false, true, 1000L)]   // ...after a wait for a slot, still before the request
    [InlineData(Header.Ours, 1000L, 1000L, true, true, 1000L)]   // accepted as it came
    [InlineData(Header.Ours, 1000L, 4000L, true, true, 4000L)]   // waited 3 s in the backlog behind the limit: from the accept
    [InlineData(Header.Ours, 1000L, 4000L, true, false, 1000L)]  // queued only while the accept loop came round: scheduling
    [InlineData(Header.Ours, 1000L, 4000L, false, true, 1000L)]  // the limit held back, but the request came after the accept
    [InlineData(Header.Ours, 1000L, null, false, false, 1000L)]  // a transport that stamps nothing
    [InlineData(Header.Ours, 9000L, 200L, false, false, 5000L)]  // a stated arrival after the actual one is not believed
    [InlineData(Header.Ours, 9000L, 4000L, true, true, 5000L)]   // ...nor with a wait: the read (5000) bounds both
    [InlineData(Header.None, 0L, 200L, false, false, 5000L)]     // no header (a real Alloy): from the read
    [InlineData(Header.None, 0L, 4000L, true, true, 5000L)]      // the read is after the accept anyway
    [InlineData(Header.Foreign, 1000L, 200L, false, false, 5000L)] // another clock's instant means nothing here
    [InlineData(Header.Foreign, 1000L, 4000L, true, true, 5000L)]
    [InlineData(Header.Garbled, 1000L, 4000L, true, true, 5000L)]
    public void The_timeout_counts_from_the_later_of_the_arrival_and_an_accept_the_request_waited_for(
        Header header, long sentMs, long? acceptedMs, bool queued, bool heldBack, long expectedMs)
    {
        string? value = header switch
        {
            Header.Ours => DeadlineAnchor.Format(Clock, Ms(sentMs)),
            Header.Foreign => DeadlineAnchor.Format(Foreign, Ms(sentMs)),
            Header.Garbled => $"{Clock.Id}@soon",
            _ => null,
        };
        var accepted = acceptedMs is long at ? new ConnectionAccept(Ms(at), queued) { HeldBack = heldBack } : null;

        Assert.Equal(Ms(expectedMs), DeadlineAnchor.Resolve(value, Clock, Ms(5000), accepted));
    }

    private static Instant Ms(long ms) => Instant.FromTimeSpan(TimeSpan.FromMilliseconds(ms));
}
