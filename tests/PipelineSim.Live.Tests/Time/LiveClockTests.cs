using PipelineSim.Core.Time;
using PipelineSim.Live.Connect;
using PipelineSim.Live.Tests.Support;
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
    public void A_deadline_token_disposed_early_is_never_cancelled()
    {
        var time = new ManualTimeProvider();
        var clock = new LiveClock(timeScale: 0.1, time);
        var token = clock.CancelAt(Deadline.After(clock.Now, TimeSpan.FromMilliseconds(200)));
        var ct = token.Token;
        token.Dispose();
        time.Advance(TimeSpan.FromMilliseconds(20)); // the deadline, in wall time
        Assert.Empty(time.PendingTimers);
        Assert.False(ct.IsCancellationRequested);
    }

    [Fact]
    public async Task A_time_scale_runs_scenario_time_that_many_times_faster_than_wall_time()
    {
        var time = new ManualTimeProvider();
        var clock = new LiveClock(timeScale: 0.1, time);

        var waiting = clock.Delay(TimeSpan.FromSeconds(10));
        Assert.Equal([TimeSpan.FromSeconds(1)], time.PendingTimers); // 10 s of scenario is 1 s of wall time
        time.Advance(TimeSpan.FromSeconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Instant.FromSeconds(10), clock.Now);
        Assert.Equal(TimeSpan.FromMilliseconds(50), clock.ToWall(TimeSpan.FromMilliseconds(500)));
        Assert.Equal(TimeSpan.FromMilliseconds(500), clock.ToScenario(TimeSpan.FromMilliseconds(50)));
        Assert.Equal(TimeSpan.MaxValue, clock.ToScenario(TimeSpan.MaxValue)); // saturates
    }

    [Theory]
    [InlineData(2.0, 2)]
    [InlineData(2.7, 3)] // Task.Delay alone would wake at 2 ms, and then the clock would wait again
    [InlineData(0.3, 1)] // ... and at once for less than a millisecond
    public async Task Waiting_until_an_instant_wakes_once_at_the_first_whole_millisecond_not_before_it(double ms, int wakeMs)
    {
        var time = new ManualTimeProvider();
        var clock = new LiveClock(1.0, time);

        var waiting = clock.DelayUntil(Instant.FromSeconds(ms / 1000));
        Assert.Equal([TimeSpan.FromMilliseconds(wakeMs)], time.PendingTimers);
        time.Advance(TimeSpan.FromMilliseconds(wakeMs));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(time.PendingTimers);
    }

    [Theory]
    [InlineData(0.3, 1)] // a plain Task.Delay would take no time at all
    [InlineData(2.7, 3)]
    public async Task Waiting_a_duration_never_takes_less_than_it(double ms, int wakeMs)
    {
        var time = new ManualTimeProvider();
        var clock = new LiveClock(1.0, time);

        var waiting = clock.Delay(TimeSpan.FromMilliseconds(ms));
        Assert.False(waiting.IsCompleted);
        Assert.Equal([TimeSpan.FromMilliseconds(wakeMs)], time.PendingTimers);
        time.Advance(TimeSpan.FromMilliseconds(wakeMs));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(clock.Now >= Instant.FromSeconds(ms / 1000));
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
