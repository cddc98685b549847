using PipelineSim.Spec;
using PipelineSim.Kernel;

namespace PipelineSim.Workloads;

/// <summary>A workload that can be advanced by a number of events, so set-up and warm-up stay out of a measurement.</summary>
public interface IEventWorkload
{
    /// <summary>Runs about <paramref name="events"/> more events; returns how many ran.</summary>
    long Advance(long events);
}

/// <summary>
/// <c>n</c> processes, each looping on a timeout drawn uniformly from (0, 2n s): the queue always holds n entries and
/// the mean gap between events is 1 simulated second whatever n is.
/// </summary>
public sealed class TimeoutLoop : IEventWorkload
{
    private readonly Simulation sim = new();

    public TimeoutLoop(int processes)
    {
        var random = new RandomStream(1, "timeouts");
        long maxDelay = 2L * processes * TimeSpan.TicksPerSecond;
        for (int i = 0; i < processes; i++) sim.Start(Sleeper(random, maxDelay));
    }

    public long Advance(long events)
    {
        long before = sim.EventsProcessed;
        sim.RunUntil(sim.Now + events * TimeSpan.TicksPerSecond);
        return sim.EventsProcessed - before;
    }

    private static IEnumerable<Wait> Sleeper(Random random, long maxDelay)
    {
        while (true) yield return Wait.Delay(1 + random.NextInt64(maxDelay - 1));
    }
}

/// <summary>One process starts a short-lived child every tick; each child waits once and ends.</summary>
public sealed class ProcessChurn : IEventWorkload
{
    public long Advance(long events)
    {
        var sim = new Simulation();
        // A child costs four entries: its start, its timeout, its end being processed (a process is an event) and
        // the spawner's resumption.
        sim.Start(Spawner(sim, events / 4));
        sim.Run();
        return sim.EventsProcessed;
    }

    private static IEnumerable<Wait> Spawner(Simulation sim, long children)
    {
        for (long i = 0; i < children; i++)
        {
            sim.Start(ShortLived());
            yield return Wait.Delay(1);
        }
    }

    private static IEnumerable<Wait> ShortLived()
    {
        yield return Wait.Delay(10);
    }
}

/// <summary>Two processes take turns holding a capacity-1 resource for one tick.</summary>
public sealed class ResourcePingPong : IEventWorkload
{
    public long Advance(long events)
    {
        var sim = new Simulation();
        var token = new Resource(sim, 1);
        long rounds = events / 4; // per round and player: the grant and the hold
        sim.Start(Player(token, rounds));
        sim.Start(Player(token, rounds));
        sim.Run();
        return sim.EventsProcessed;
    }

    private static IEnumerable<Wait> Player(Resource token, long rounds)
    {
        for (long i = 0; i < rounds; i++)
        {
            var request = token.Request();
            yield return request;
            yield return Wait.Delay(1);
            token.Release(request);
        }
    }
}

/// <summary>
/// The ceiling: a bare <see cref="PriorityQueue{TElement, TPriority}"/> holding <c>size</c> entries, each pop followed
/// by a push at a later uniform time, with no simulation around it.
/// </summary>
public sealed class BareHeap : IEventWorkload
{
    private readonly RandomStream random = new(1, "heap");
    private readonly PriorityQueue<int, long> queue;
    private readonly long maxDelay;

    public BareHeap(int size)
    {
        maxDelay = 2L * size * TimeSpan.TicksPerSecond;
        queue = new PriorityQueue<int, long>(size);
        for (int i = 0; i < size; i++) queue.Enqueue(i, 1 + random.NextInt64(maxDelay - 1));
    }

    public long Advance(long events)
    {
        for (long n = 0; n < events; n++)
        {
            queue.TryDequeue(out int element, out long time);
            queue.Enqueue(element, time + 1 + random.NextInt64(maxDelay - 1));
        }
        return events;
    }
}
