using PipelineSim.Spec;
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

    public LiveContext(LiveClock? clock = null, IRecordSink? sink = null, MetricRegistry? metrics = null, ulong seed = 0)
    {
        Clock = clock ?? LiveClock.RealTime;
        Metrics = metrics ?? new MetricRegistry();
        this.sink = sink;
        Seed = seed;
    }

    public LiveClock Clock { get; }

    public MetricRegistry Metrics { get; }

    public ulong Seed { get; }

    /// <summary>
    /// Where components report trouble they ride out (a server out of file descriptors backing off its accepts), one
    /// line each, as Go servers log it; null drops the lines.
    /// </summary>
    public Action<string>? Warn { get; init; }

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

    /// <summary>
    /// The kernel's random stream of that name under the run's seed: the simulator draws from the same streams, so
    /// a name the model uses (an agent fleet's phases) gives live the very same numbers.
    /// </summary>
    internal RandomStream Stream(string name) => new(Seed, name);

    /// <summary>
    /// One stream per (component, item), for draws whose order across concurrent requests is not deterministic live:
    /// each request or push draws from its own stream, so the same seed gives the same draws whatever the order.
    /// </summary>
    internal RandomStream Stream(string component, long item) =>
        new(Seed, component + "#" + item.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
