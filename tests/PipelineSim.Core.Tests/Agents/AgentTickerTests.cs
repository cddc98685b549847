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
    /// Ticks every 15 s from 0 s; a push that ends at <paramref name="pushEnds"/> skips the ticks that came while it ran
    /// (one ending exactly at a tick skips that tick too), and the next push is at the following tick.
    /// </summary>
    [Theory]
    [InlineData(14.9999999, 0, 15.0)]
    [InlineData(15.0, 1, 30.0)]
    [InlineData(15.0000001, 1, 30.0)]
    [InlineData(44.0, 2, 45.0)]
    [InlineData(46.0, 3, 60.0)]
    public void A_synchronous_driver_skips_the_ticks_its_push_outlasted(double pushEnds, long skipped, double nextTick)
    {
        var ticker = new AgentTicker(S(0), Fifteen, stop: S(600));
        Assert.Equal(S(nextTick), ticker.NextTickAfterPush(S(pushEnds)));
        Assert.Equal(skipped, ticker.SkippedTicks);
    }

    [Theory]
    [InlineData(44.0, 2, null)] // the ticks at 15 and 30 were skipped; 45 is the stop itself
    [InlineData(100.0, 2, null)] // ticks at or after the stop are neither made nor counted
    [InlineData(29.0, 1, 30.0)]
    public void Ticks_at_or_after_the_stop_are_not_made_nor_counted(double pushEnds, long skipped, double? nextTick)
    {
        var ticker = new AgentTicker(S(0), Fifteen, stop: S(45));
        Assert.Equal(nextTick is double t ? S(t) : null, ticker.NextTickAfterPush(S(pushEnds)));
        Assert.Equal(skipped, ticker.SkippedTicks);
    }

    [Fact]
    public void An_event_driven_driver_gets_the_same_pushes_and_skips()
    {
        var events = new AgentTicker(S(5), Fifteen, stop: S(95));
        var synchronous = new AgentTicker(S(5), Fifteen, stop: S(95));
        // Pushes lasting 20 s, 3 s, 40 s, ...: the event-driven driver sees every tick, the synchronous one only its ends.
        double[] durations = [20, 3, 40, 1, 1, 1, 1];
        var eventPushes = new List<Instant>();
        Instant? pushEnd = null;
        int next = 0;
        for (var tick = S(5); ; tick += Fifteen)
        {
            if (pushEnd is Instant end && end < tick)
            {
                events.OnPushDone();
                pushEnd = null;
            }
            var outcome = events.OnTick(tick);
            if (outcome.Kind == AgentTickKind.Stopped) break;
            Assert.Equal(tick + Fifteen, outcome.Next);
            if (outcome.Kind == AgentTickKind.Push)
            {
                eventPushes.Add(tick);
                pushEnd = tick + TimeSpan.FromSeconds(durations[next++]);
            }
        }

        var syncPushes = new List<Instant>();
        next = 0;
        for (Instant? due = S(5); due is Instant at; due = synchronous.NextTickAfterPush(at + TimeSpan.FromSeconds(durations[next++])))
            syncPushes.Add(at);

        Assert.Equal([S(5), S(35), S(50)], eventPushes); // 20 is skipped (5 runs to 25), 65 and 80 too (50 runs to 90), 95 is the stop
        Assert.Equal(eventPushes, syncPushes);
        Assert.Equal(events.SkippedTicks, synchronous.SkippedTicks);
        Assert.Equal(3, events.SkippedTicks);
    }
}
