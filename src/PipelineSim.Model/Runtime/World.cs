using PipelineSim.Core.Connect;
using PipelineSim.Core.Time;
using PipelineSim.Kernel;
using PipelineSim.Model.Components;
using PipelineSim.Model.Net;
using PipelineSim.Model.Recording;
using PipelineSim.Spec;

namespace PipelineSim.Model.Runtime;

/// <summary>What every entity of one run shares: the clock, the network, the recorder, the books and the id counters.</summary>
internal sealed class World
{
    private long nextPushId;
    private long nextFlowId;
    private long nextBatchId;

    public World(Simulation sim, RandomStreams random, NetworkSpec tcp, Network network, Recorder recorder, long end)
    {
        Sim = sim;
        Random = random;
        Tcp = tcp;
        Network = network;
        Recorder = recorder;
        End = end;
        Timers = new TimerSlots(sim);
    }

    /// <summary>The run's named random streams.</summary>
    public RandomStreams Random { get; }

    /// <summary>A list any entity may fill and must empty before returning (the run is single-threaded).</summary>
    public List<Flow> Scratch { get; } = [];

    /// <summary>Cancellable timers, for deadlines that usually do not fire.</summary>
    public TimerSlots Timers { get; }

    public Simulation Sim { get; }

    public long Now => Sim.Now;

    public Instant Instant => new(Sim.Now);

    public NetworkSpec Tcp { get; }

    public Network Network { get; }

    public Recorder Recorder { get; }

    public Accounting Books { get; } = new();

    /// <summary>Every push loop still running, oldest first: the in-flight records at the end come from here.</summary>
    public ActivePushes Active { get; } = new();

    /// <summary>The end of the run in ticks.</summary>
    public long End { get; }

    public long NextPushId() => ++nextPushId;

    public long NextFlowId() => ++nextFlowId;

    public long NextBatchId() => ++nextBatchId;
}

/// <summary>
/// The push loops in progress, each in a slot of one array (no allocation per push). Adding and removing touch only
/// the push itself and the array, never other pushes: an intrusive list would touch both neighbours of every push
/// that ends, two objects nobody else needs then, and at 100,000 agents likely out of cache.
/// </summary>
internal sealed class ActivePushes
{
    private const int NoSlot = -1;

    private EndpointPush?[] slots = new EndpointPush?[256];
    private int[] free = new int[256];
    private int freeCount;
    private int used;

    public int Count { get; private set; }

    public void Add(EndpointPush push)
    {
        int slot;
        if (freeCount > 0) slot = free[--freeCount];
        else
        {
            if (used == slots.Length)
            {
                Array.Resize(ref slots, used * 2);
                Array.Resize(ref free, used * 2);
            }
            slot = used++;
        }
        slots[slot] = push;
        push.ActiveSlot = slot;
        Count++;
    }

    public void Remove(EndpointPush push)
    {
        int slot = push.ActiveSlot;
        slots[slot] = null;
        push.ActiveSlot = NoSlot;
        free[freeCount++] = slot; // reused first: its line of the array is the one most likely in cache
        Count--;
    }

    /// <summary>Oldest first: pushes are added as they are made, so in the order of their ids.</summary>
    public IEnumerable<EndpointPush> InOrder()
    {
        var running = new List<EndpointPush>(Count);
        for (int i = 0; i < used; i++)
        {
            if (slots[i] is { } push) running.Add(push);
        }
        running.Sort(static (a, b) => a.PushId.CompareTo(b.PushId));
        return running;
    }
}

/// <summary>
/// The profile books: what the sources created (once per first-hop writer endpoint) and how each of those first-hop
/// pushes ended, plus what the backends ingested. <see cref="Conservation"/> is computed from them at the end.
/// </summary>
internal sealed class Accounting
{
    public long Created { get; set; }

    public long Delivered { get; set; }

    public CodeCounts DroppedByCode { get; } = new();

    public long Ingested { get; set; }

    public long Duplicates { get; set; }
}

/// <summary>
/// The profiles one agent push created: one series each, with their sizes, and how often each was ingested by a
/// backend (to tell unique profiles from duplicates caused by retries of partly successful fan-outs).
/// </summary>
internal sealed class SourceBatch
{
    private readonly long[]? sizes;
    private readonly long size;
    private byte[]? ingested; // per profile, for a batch of several
    private byte ingestedAlone; // the one profile's, for a batch of one (no array to allocate per push)

    public SourceBatch(long id, string source, long[] profileSizes)
    {
        Id = id;
        Source = source;
        Profiles = profileSizes.Length;
        sizes = profileSizes;
        foreach (long s in profileSizes) TotalBytes += s;
    }

    /// <summary>A batch of one profile (no size array).</summary>
    public SourceBatch(long id, string source, long profileSize)
    {
        Id = id;
        Source = source;
        Profiles = 1;
        size = TotalBytes = profileSize;
    }

    public long Id { get; }

    public string Source { get; }

    public int Profiles { get; }

    public long TotalBytes { get; }

    public long BytesOf(int series) => sizes is null ? size : sizes[series];

    /// <summary>A backend stored these series: counts first ingestions and duplicates.</summary>
    public void MarkIngested(int offset, int count, Accounting books)
    {
        if (sizes is null)
        {
            if (count > 0) MarkOne(ref ingestedAlone, books);
            return;
        }
        ingested ??= new byte[Profiles];
        for (int i = offset; i < offset + count; i++) MarkOne(ref ingested[i], books);
    }

    private static void MarkOne(ref byte times, Accounting books)
    {
        if (times == 0) books.Ingested++;
        else books.Duplicates++;
        if (times < byte.MaxValue) times++;
    }
}
