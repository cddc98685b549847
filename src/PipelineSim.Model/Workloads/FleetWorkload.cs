using System.Diagnostics;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Kernel;
using PipelineSim.Spec;

namespace PipelineSim.Model.Workloads;

/// <summary>
/// The model's speed workload: a fleet of agents, each its own Alloy with its own writer, pushing every 15 s
/// through an L4 balancer to two receivers that forward to one Pyroscope. At 10,000 agents for an hour this is
/// scenarios/fleet-10k (2.4 M pushes); <c>pipelinesim bench model</c> and the BenchmarkDotNet class run it.
/// </summary>
public static class FleetWorkload
{
    /// <summary>The receiver tier's default: two receivers at Alloy's default conn_limit, one Pyroscope serving 2048 at once.</summary>
    public static readonly FleetTier DefaultTier = new(2, ReceiveHttpOptions.DefaultConnLimit);

    /// <param name="tier">How many receivers stand behind the balancer, and each one's conn_limit (default <see cref="DefaultTier"/>).</param>
    public static PipelineSpec Spec(int agents = 10_000, TimeSpan? duration = null, ulong seed = 1, FleetTier? tier = null)
    {
        var receivers = tier ?? DefaultTier;
        string[] names = [.. Enumerable.Range(1, receivers.Receivers).Select(i => "r" + i)];
        return Build(agents, duration, seed, receivers, names);
    }

    private static PipelineSpec Build(int agents, TimeSpan? duration, ulong seed, FleetTier tier, string[] receivers) => new()
    {
        Name = "fleet-" + agents,
        Duration = duration ?? TimeSpan.FromHours(1),
        Seed = seed,
        SampleStep = TimeSpan.FromSeconds(15),
        Sources =
        [
            new SourceSpec
            {
                Name = "agents",
                Count = agents,
                PushInterval = TimeSpan.FromSeconds(15),
                ProfilesPerPush = 1,
                ProfileBytes = Distributions.LogNormal(60 * 1024, 0.5),
                To = "w1",
            },
        ],
        Components =
        [
            new WriterSpec { Name = "w1", Options = new WriteOptions { Endpoints = [new WriteEndpointOptions { Url = "http://lb:8080" }] } },
            new LoadBalancerSpec { Name = "lb", Layer = LoadBalancerLayer.L4, Targets = receivers },
            .. receivers.Select(r => new ReceiverSpec { Name = r, ForwardTo = ["w2"], Http = new ReceiveHttpOptions { ConnLimit = tier.ConnLimit } }),
            new WriterSpec { Name = "w2", Options = new WriteOptions { Endpoints = [new WriteEndpointOptions { Url = "http://pyroscope:4040" }] } },
            new BackendSpec { Name = "pyroscope", Latency = Distributions.LogNormal(0.7, 0.4), Concurrency = tier.BackendConcurrency },
        ],
        Links =
        [
            new LinkSpec { From = "w1", To = "lb", Rtt = TimeSpan.FromMilliseconds(2) },
            new LinkSpec { From = "w2", To = "pyroscope", Rtt = TimeSpan.FromMilliseconds(1) },
        ],
    };

    /// <summary>
    /// Runs the workload into <paramref name="sink"/> (a counting one when null) and measures it; a cancelled
    /// <paramref name="cancellation"/> stops it with an <see cref="OperationCanceledException"/>.
    /// </summary>
    public static FleetMeasurement Measure(int agents = 10_000, TimeSpan? duration = null, IRecordSink? sink = null, FleetTier? tier = null,
        CancellationToken cancellation = default)
    {
        var spec = Spec(agents, duration, tier: tier);
        var counting = sink ?? new CountingSink();
        long allocatedBefore = GC.GetTotalAllocatedBytes();
        var pausedBefore = GC.GetTotalPauseDuration();
        int gen2Before = GC.CollectionCount(2);
        var clock = Stopwatch.StartNew();
        var result = SimulationRun.Execute(spec, counting, new RunOptions { Cancellation = cancellation });
        clock.Stop();
        long pushes = result.Sources.Sum(s => s.Pushes);
        return new FleetMeasurement(pushes, result.EventsProcessed, result.PushRecords, result.AttemptRecords, clock.Elapsed)
        {
            Agents = agents,
            AllocatedBytes = GC.GetTotalAllocatedBytes() - allocatedBefore,
            GcPause = GC.GetTotalPauseDuration() - pausedBefore,
            Gen2Collections = GC.CollectionCount(2) - gen2Before,
            SaturatedReceivers = result.Receivers.Count(r => r.ConnLimit > 0 && r.PeakAcceptedConnections >= r.ConnLimit),
        };
    }

    private sealed class CountingSink : IRecordSink
    {
        public long Records { get; private set; }

        public void OnPush(in PushRecord push) => Records++;

        public void OnAttempt(in AttemptRecord attempt) => Records++;

        public void OnSample(in MetricSample sample) => Records++;
    }
}

/// <summary>
/// The fleet's server side: how many receivers behind the balancer, each one's conn_limit (0: none), and how many
/// requests the Pyroscope backend serves at once.
/// </summary>
public sealed record FleetTier(int Receivers, int ConnLimit, int BackendConcurrency = FleetTier.DefaultBackendConcurrency)
{
    /// <summary>The 10,000-agent workload's backend: about 500 of its 2048 slots busy (667 pushes/s x 0.76 s mean latency).</summary>
    public const int DefaultBackendConcurrency = 2048;

    /// <summary>The share of a receiver's conn_limit an unsaturated tier fills at most.</summary>
    private const double ConnLimitHeadroom = 0.8;

    /// <summary>
    /// A tier where nothing saturates for <paramref name="agents"/> keep-alive agents: each agent holds one
    /// connection, so enough receivers at Alloy's default conn_limit to stay under 80 % of it, and a backend with the
    /// 10,000-agent workload's headroom per agent (2048 per 10,000). With the backend left at 2048, 100,000 agents
    /// keep about 5,000 requests in service: pushes queue and retry there and the run measures a backend overload.
    /// </summary>
    public static FleetTier Unsaturated(int agents)
    {
        int connLimit = ReceiveHttpOptions.DefaultConnLimit;
        int receivers = Math.Max(2, (int)Math.Ceiling(agents / (connLimit * ConnLimitHeadroom)));
        int backend = Math.Max(DefaultBackendConcurrency, (int)Math.Ceiling(agents / 10_000.0) * DefaultBackendConcurrency);
        return new FleetTier(receivers, connLimit, backend);
    }
}

/// <summary>One run of the fleet workload: how much it simulated and how long it took.</summary>
public readonly record struct FleetMeasurement(long SourcePushes, long Events, long PushRecords, long AttemptRecords, TimeSpan Wall)
{
    public int Agents { get; init; }

    /// <summary>Bytes the run allocated on the managed heap (all threads).</summary>
    public long AllocatedBytes { get; init; }

    /// <summary>Time the garbage collector paused the run (part of <see cref="Wall"/>).</summary>
    public TimeSpan GcPause { get; init; }

    /// <summary>Full (generation 2) collections during the run.</summary>
    public int Gen2Collections { get; init; }

    /// <summary>Receivers whose accepted connections reached their conn_limit at some point.</summary>
    public int SaturatedReceivers { get; init; }

    public double PushesPerSecond => SourcePushes / Wall.TotalSeconds;

    public double EventsPerSecond => Events / Wall.TotalSeconds;

    public double EventsPerPush => SourcePushes == 0 ? 0 : (double)Events / SourcePushes;
}
