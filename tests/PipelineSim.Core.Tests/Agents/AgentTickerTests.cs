using PipelineSim.Core.Agents;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Tests.Agents;

public class AgentTickerTests
{
    private static Instant S(double seconds) => Instant.FromSeconds(seconds);

    private static readonly TimeSpan Fifteen = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("agents", 1, 0, "agents")]
    [InlineData("agents", 2, 1, "agents-1")]
    [InlineData("agents", 10, 7, "agents-7")]
    [InlineData("agents", 11, 7, "agents-07")]
    [InlineData("agents", 1000, 42, "agents-042")]
    [InlineData("agents", 1001, 42, "agents-0042")]
    public void Agents_are_named_with_the_index_padded_to_the_widest(string fleet, int count, int index, string expected) =>
        Assert.Equal(expected, AgentSchedule.AgentName(fleet, count, index));

    [Fact]
    public void The_phase_is_one_draw_below_the_jitter_or_the_interval()
    {
        var bounds = new List<long>();
        long Draw(long bound)
        {
            bounds.Add(bound);
            return bound - 1;
        }
        Assert.Equal(TimeSpan.FromTicks(Fifteen.Ticks - 1), AgentSchedule.Phase(Fifteen, null, Draw));
        Assert.Equal(TimeSpan.FromTicks(TimeSpan.FromSeconds(2).Ticks - 1), AgentSchedule.Phase(Fifteen, TimeSpan.FromSeconds(2), Draw));
        Assert.Equal(TimeSpan.Zero, AgentSchedule.Phase(Fifteen, TimeSpan.Zero, Draw)); // no jitter: no draw
        Assert.Equal([Fifteen.Ticks, TimeSpan.FromSeconds(2).Ticks], bounds);
    }

    /// <summary>
    /// Ticks every 15 s from 0 s, the first push at 0 s. A push that ends after one or more ticks came is followed at
    /// once by the next push (Go's ticker held the first of them; a tick exactly at the end counts as come), and the
    /// ticks beyond the first are skipped; a push that ends before the next tick waits for it.
    /// </summary>
    [Theory]
    [InlineData(14.9999999, 0, 15.0)]
    [InlineData(15.0, 0, 15.0)]
    [InlineData(15.0000001, 0, 15.0000001)]
    [InlineData(29.9999999, 0, 29.9999999)]
    [InlineData(30.0, 1, 30.0)]
    [InlineData(44.0, 1, 44.0)]
    [InlineData(46.0, 2, 46.0)]
    public void A_synchronous_driver_pushes_at_once_for_the_held_tick_and_skips_the_rest(double pushEnds, long skipped, double nextPush)
    {
        var ticker = new AgentTicker(S(0), Fifteen, stop: S(600));
        Assert.Equal(S(nextPush), ticker.NextTickAfterPush(S(pushEnds)));
        Assert.Equal(skipped, ticker.SkippedTicks);
    }

    [Fact]
    public void After_a_held_push_the_schedule_stays_on_the_grid()
    {
        var ticker = new AgentTicker(S(0), Fifteen, stop: S(600));
        Assert.Equal(S(20), ticker.NextTickAfterPush(S(20))); // tick 15 held: push at 20
        Assert.Equal(S(30), ticker.NextTickAfterPush(S(21))); // then the grid: 30, not 35
        Assert.Equal(S(45), ticker.NextTickAfterPush(S(31)));
        Assert.Equal(0, ticker.SkippedTicks);
    }

    [Theory]
    [InlineData(44.0, 1, 44.0)] // 15 skipped, 30 held; 44 is before the stop
    [InlineData(45.0, 2, null)] // the held tick's push would start at the stop: no push, counted
    [InlineData(100.0, 2, null)] // ticks at or after the stop are neither made nor counted
    [InlineData(29.0, 0, 29.0)]
    public void Ticks_at_or_after_the_stop_are_not_made_nor_counted(double pushEnds, long skipped, double? nextPush)
    {
        var ticker = new AgentTicker(S(0), Fifteen, stop: S(45));
        Assert.Equal(nextPush is double t ? S(t) : null, ticker.NextTickAfterPush(S(pushEnds)));
        Assert.Equal(skipped, ticker.SkippedTicks);
    }

    [Fact]
    public void An_event_driven_driver_holds_the_first_tick_and_skips_the_next()
    {
        var ticker = new AgentTicker(S(0), Fifteen, stop: S(600));
        Assert.Equal(AgentTickKind.Push, ticker.OnTick(S(0)).Kind);
        Assert.Equal(AgentTickKind.Held, ticker.OnTick(S(15)).Kind);
        Assert.Equal(AgentTickKind.Skip, ticker.OnTick(S(30)).Kind);
        Assert.Equal(AgentTickKind.Skip, ticker.OnTick(S(45)).Kind);
        Assert.True(ticker.OnPushDone(S(50))); // the held tick pushes now
        Assert.False(ticker.OnPushDone(S(52))); // nothing held: wait for 60
        Assert.Equal(AgentTickKind.Push, ticker.OnTick(S(60)).Kind);
        Assert.Equal(2, ticker.SkippedTicks);
    }

    [Fact]
    public void A_tick_held_past_the_stop_makes_no_push_and_counts_as_skipped()
    {
        var ticker = new AgentTicker(S(0), Fifteen, stop: S(20));
        ticker.OnTick(S(0));
        Assert.Equal(AgentTickKind.Held, ticker.OnTick(S(15)).Kind);
        Assert.False(ticker.OnPushDone(S(20)));
        Assert.Equal(1, ticker.SkippedTicks);
    }

    [Fact]
    public void An_event_driven_driver_gets_the_same_pushes_and_skips()
    {
        var events = new AgentTicker(S(5), Fifteen, stop: S(95));
        var synchronous = new AgentTicker(S(5), Fifteen, stop: S(95));
        // Pushes lasting 20 s, 3 s, 40 s, ...: the event-driven driver sees every tick and every end, the synchronous
        // one only the ends. When an end and a tick coincide, the end is seen first (either order gives the same pushes).
        double[] durations = [20, 3, 40, 1, 1, 1, 1];
        var eventPushes = new List<Instant>();
        Instant? pushEnd = null;
        int next = 0;
        void StartPush(Instant at)
        {
            eventPushes.Add(at);
            pushEnd = at + TimeSpan.FromSeconds(durations[next++]);
        }
        for (var tick = S(5); ;)
        {
            if (pushEnd is Instant end && end <= tick)
            {
                pushEnd = null;
                if (events.OnPushDone(end)) StartPush(end);
                continue;
            }
            var outcome = events.OnTick(tick);
            if (outcome.Kind == AgentTickKind.Stopped) break;
            Assert.Equal(tick + Fifteen, outcome.Next);
            if (outcome.Kind == AgentTickKind.Push) StartPush(tick);
            tick = outcome.Next;
        }

        var syncPushes = new List<Instant>();
        next = 0;
        for (Instant? due = S(5); due is Instant at; due = synchronous.NextTickAfterPush(at + TimeSpan.FromSeconds(durations[next++])))
            syncPushes.Add(at);

        // 5 runs to 25 with 20 held: push at 25; 35 runs to 75 with 50 held and 65 skipped: push at 75; then 80; 95 is the stop.
        Assert.Equal([S(5), S(25), S(35), S(75), S(80)], eventPushes);
        Assert.Equal(eventPushes, syncPushes);
        Assert.Equal(1, events.SkippedTicks);
        Assert.Equal(events.SkippedTicks, synchronous.SkippedTicks);
    }
}
