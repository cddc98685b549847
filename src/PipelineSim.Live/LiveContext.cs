using PipelineSim.Core.Records;
using PipelineSim.Core.Time;
using PipelineSim.Live.Metrics;
using PipelineSim.Live.Time;

namespace PipelineSim.Live;

/// <summary>
/// What every live component in one run shares: the clock (and its time scale), the metric registry that
/// <c>/metrics</c> serves, the record sink, push ids and the seed.
/// </summary>
public sealed class LiveContext
{
    private readonly object recordGate = new();
    private readonly IRecordSink? sink;
    private long lastPushId;

    public LiveContext(LiveClock? clock = null, IRecordSink? sink = null, MetricRegistry? metrics = null, int seed = 0)
    {
        Clock = clock ?? LiveClock.RealTime;
        Metrics = metrics ?? new MetricRegistry();
        this.sink = sink;
        Seed = seed;
    }

    public LiveClock Clock { get; }

    public MetricRegistry Metrics { get; }

    public int Seed { get; }

    /// <summary>Push ids, unique across every writer of the run.</summary>
    public long NextPushId() => Interlocked.Increment(ref lastPushId);

    /// <summary>
    /// Emits a record built at the moment of writing: components run concurrently, and stamping the end time while
    /// holding the sink keeps each record kind in non-decreasing time order, as <see cref="IRecordSink"/> requires.
    /// </summary>
    internal void Record(Func<Instant, PushRecord> build)
    {
        if (sink is null) return;
        lock (recordGate) sink.OnPush(build(Clock.Now));
    }

    internal void Record(Func<Instant, AttemptRecord> build)
    {
        if (sink is null) return;
        lock (recordGate) sink.OnAttempt(build(Clock.Now));
    }

    /// <summary>Runs <paramref name="action"/> while no record is being written.</summary>
    internal void WithRecordsPaused(Action action)
    {
        lock (recordGate) action();
    }

    /// <summary>Samples every metric of the registry into the sink, stamped <paramref name="at"/> (a grid point of the run).</summary>
    public void SampleMetrics(Instant at)
    {
        if (sink is null) return;
        lock (recordGate)
        {
            foreach (var sample in Metrics.Snapshot(at)) sink.OnSample(sample);
        }
    }

    /// <summary>A component's own random stream: the run seed mixed with its name, stable across runs.</summary>
    internal Random RandomFor(string component, long stream = 0) => new(SeedFor(component, stream));

    internal int SeedFor(string component, long stream = 0)
    {
        // FNV-1a over the name (string.GetHashCode is randomised per process), then SplitMix64 to spread it.
        ulong hash = 14695981039346656037UL;
        foreach (char c in component) hash = (hash ^ c) * 1099511628211UL;
        return (int)SplitMix64(hash ^ (ulong)Seed ^ ((ulong)stream * 0x9E3779B97F4A7C15UL));
    }

    internal static ulong SplitMix64(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
