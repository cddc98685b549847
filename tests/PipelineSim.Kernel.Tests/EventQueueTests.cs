using PipelineSim.Spec;
using FsCheck;
using FsCheck.Xunit;

namespace PipelineSim.Kernel.Tests;

public class EventQueueTests
{
    private sealed class Nobody : ITimerHandler
    {
        public static readonly Nobody Instance = new();

        public void OnTimer(long token) { }
    }

    private sealed class Named(int id) : ITimerHandler
    {
        public int Id { get; } = id;

        public void OnTimer(long token) { }
    }

    /// <summary>
    /// Against a reference: any interleaving of schedules (never before the clock, as the simulation guarantees),
    /// takes and takes bounded by a time yields entries in (time, scheduling order), the order a stable sort gives,
    /// each with the handler it was scheduled with. Delays span from equal times to 2^50 ticks, so every level of the
    /// wheel is crossed.
    /// </summary>
    [Property(MaxTest = 400)]
    public bool Entries_leave_in_time_then_scheduling_order(int[] script, NonNegativeInt spread)
    {
        var queue = new EventQueue();
        var handlers = new[] { new Named(0), new Named(1), new Named(2) };
        var reference = new List<(long Time, long Token)>();
        var rng = new RandomStream((ulong)script.Length, "script");
        long now = 0, token = 0;
        long range = 1L << (spread.Get % 51);
        foreach (int step in script)
        {
            switch (Math.Abs(step % 5))
            {
                case 0 or 1 or 2:
                    long time = now + (step % 7 == 0 ? 0 : rng.NextInt64(range)); // many equal times
                    queue.Schedule(time, handlers[token % 3], token);
                    reference.Add((time, token++));
                    break;
                case 3:
                    if (!TakeMatches(long.MaxValue)) return false;
                    break;
                default:
                    // A bounded take, as RunUntil does; the clock then stands at the bound.
                    long before = now + rng.NextInt64(range);
                    if (!TakeMatches(before)) return false;
                    now = Math.Max(now, before);
                    break;
            }
        }
        while (reference.Count > 0) if (!TakeMatches(long.MaxValue)) return false;
        return queue.Count == 0 && !queue.TryTake(long.MaxValue, out _);

        bool TakeMatches(long before)
        {
            var due = reference.OrderBy(e => e.Time).Where(e => e.Time < before).Take(1).ToList(); // OrderBy is stable
            bool took = queue.TryTake(before, out var entry);
            if (took != (due.Count > 0)) return false;
            if (!took) return true;
            var expected = due[0];
            if (entry.Time != expected.Time || entry.Token != expected.Token) return false;
            if (((Named)entry.Handler).Id != expected.Token % 3) return false;
            reference.Remove(expected);
            now = entry.Time;
            return queue.Count == reference.Count;
        }
    }

    [Fact]
    public void A_take_bounded_by_a_time_leaves_later_entries_and_allows_earlier_schedules()
    {
        var queue = new EventQueue();
        queue.Schedule(100, Nobody.Instance, 1);
        Assert.False(queue.TryTake(50, out _));
        // The clock may now stand at 50: an entry at 60 must still come out before the one at 100.
        queue.Schedule(60, Nobody.Instance, 2);
        Assert.True(queue.TryTake(long.MaxValue, out var first));
        Assert.True(queue.TryTake(long.MaxValue, out var second));
        Assert.Equal((2L, 1L), (first.Token, second.Token));
    }

    [Fact]
    public void Huge_times_are_ordered_too()
    {
        var queue = new EventQueue();
        queue.Schedule(long.MaxValue - 1, Nobody.Instance, 1);
        queue.Schedule(1L << 40, Nobody.Instance, 2);
        queue.Schedule(3, Nobody.Instance, 3);
        var order = new List<long>();
        while (queue.TryTake(long.MaxValue, out var e)) order.Add(e.Token);
        Assert.Equal([3L, 2L, 1L], order);
    }

    [Fact]
    public void RunUntil_then_scheduling_between_the_limit_and_the_next_entry_keeps_time_order()
    {
        var sim = new Simulation();
        var log = new List<long>();
        IEnumerable<Wait> At(long time)
        {
            yield return Wait.Until(time);
            log.Add(sim.Now);
        }
        sim.Start(At(1000));
        sim.RunUntil(500);
        sim.Start(At(700));
        sim.Run();
        Assert.Equal([700L, 1000L], log);
    }

    /// <summary>Remembers the prefetch hints it was given, and checks each one is for an entry still queued.</summary>
    private sealed class Hinted(HashSet<long> taken) : ITimerHandler
    {
        public List<(long Token, int Depth)> Hints { get; } = [];

        public bool HintedATakenEntry { get; private set; }

        public void OnTimer(long token) { }

        public void Prefetch(long token, int depth)
        {
            if (taken.Contains(token)) HintedATakenEntry = true;
            Hints.Add((token, depth));
        }
    }

    [Fact]
    public void Entries_due_in_the_lowest_level_are_hinted_at_every_depth_in_turn_before_they_run()
    {
        var taken = new HashSet<long>();
        var handler = new Hinted(taken);
        const int depths = 4;
        var queue = new EventQueue(depths);
        long[] times = [5, 5, 9, 12, 12, 12, 20, 33, 40, 40, 63];
        for (int i = 0; i < times.Length; i++) queue.Schedule(times[i], handler, i);
        while (queue.TryTake(long.MaxValue, out var entry))
        {
            // Entry k was hinted at each of the last min(k, depths) takes before its own, shallowest first: the
            // first entry comes before any hint, and from entry `depths` on every one gets them all.
            var hinted = handler.Hints.Where(h => h.Token == entry.Token).Select(h => h.Depth).ToList();
            int first = Math.Max(0, depths - (int)entry.Token);
            Assert.Equal(Enumerable.Range(first, depths - first), hinted);
            taken.Add(entry.Token);
        }
        Assert.False(handler.HintedATakenEntry);
    }

    /// <summary>
    /// Across every level of the wheel, with entries scheduled while others are taken, the hints are guesses, but
    /// never about an entry already taken (whose stored handler is gone), and only ever with the entry's own token.
    /// </summary>
    [Property(MaxTest = 200)]
    public bool Hints_only_ever_name_entries_still_queued(int[] script, NonNegativeInt spread, byte depths)
    {
        var taken = new HashSet<long>();
        var handler = new Hinted(taken);
        var queue = new EventQueue(depths % (Simulation.MaxPrefetchDepths + 1));
        var rng = new RandomStream((ulong)script.Length, "hints");
        long now = 0, token = 0;
        long range = 1L << (spread.Get % 51);
        foreach (int step in script)
        {
            if (step % 3 != 0) queue.Schedule(now + rng.NextInt64(range), handler, token++);
            else if (queue.TryTake(long.MaxValue, out var entry))
            {
                now = entry.Time;
                taken.Add(entry.Token);
            }
        }
        while (queue.TryTake(long.MaxValue, out var rest)) taken.Add(rest.Token);
        return !handler.HintedATakenEntry && handler.Hints.All(h => h.Token < token && h.Depth < depths % (Simulation.MaxPrefetchDepths + 1));
    }

    [Fact]
    public void Without_depths_no_handler_is_asked_to_prefetch_and_depths_are_bounded()
    {
        var taken = new HashSet<long>();
        var handler = new Hinted(taken);
        var queue = new Simulation().Queue;
        for (int i = 0; i < 10; i++) queue.Schedule(i, handler, i);
        while (queue.TryTake(long.MaxValue, out _)) { }
        Assert.Empty(handler.Hints);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Simulation(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Simulation(Simulation.MaxPrefetchDepths + 1));
    }
}
