using PipelineSim.Core.Time;
using PipelineSim.Live.Connect;
using PipelineSim.Live.Time;

namespace PipelineSim.Live.Tests.Time;

[Trait(LiveTrait.Name, LiveTrait.Value)]
public class LiveClockTests
{
    [Fact]
    public async Task A_deadline_token_is_never_cancelled_before_the_clock_reaches_the_deadline()
    {
        var clock = new LiveClock(timeScale: 0.1);
        for (int i = 0; i < 20; i++)
        {
            var deadline = Deadline.After(clock.Now, TimeSpan.FromMilliseconds(30 + i)); // 3 ms and more of real time
            using var token = clock.CancelAt(deadline);
            var cancelled = new TaskCompletionSource<Instant>();
            token.Token.Register(() => cancelled.TrySetResult(clock.Now));
            var at = await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.True(deadline.IsExpired(at), $"cancelled at {at}, before the deadline {deadline.When}");
        }
    }

    [Fact]
    public async Task A_deadline_token_disposed_early_is_never_cancelled()
    {
        var clock = new LiveClock(timeScale: 0.1);
        var token = clock.CancelAt(Deadline.After(clock.Now, TimeSpan.FromMilliseconds(200)));
        var ct = token.Token;
        token.Dispose();
        await Task.Delay(60);
        Assert.False(ct.IsCancellationRequested);
    }

    [Fact]
    public void The_writer_instant_anchors_the_timeout_only_on_the_same_clock()
    {
        var clock = new LiveClock(timeScale: 0.1);
        var other = new LiveClock(timeScale: 0.1);
        var sent = new Instant(1_000);
        var arrival = new Instant(5_000);

        Assert.NotEqual(clock.Id, other.Id);
        Assert.Equal(sent, DeadlineAnchor.Resolve(DeadlineAnchor.Format(clock, sent), clock, arrival));
        Assert.Equal(arrival, DeadlineAnchor.Resolve(DeadlineAnchor.Format(other, sent), clock, arrival));
        Assert.Equal(arrival, DeadlineAnchor.Resolve(DeadlineAnchor.Format(clock, new Instant(9_000)), clock, arrival)); // not from the future
        Assert.Equal(arrival, DeadlineAnchor.Resolve($"{clock.Id}@soon", clock, arrival));
        Assert.Equal(arrival, DeadlineAnchor.Resolve(null, clock, arrival));
    }
}
