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
    public static PipelineSpec Spec(int agents = 10_000, TimeSpan? duration = null, ulong seed = 1) => new()
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
            new LoadBalancerSpec { Name = "lb", Layer = LoadBalancerLayer.L4, Targets = ["r1", "r2"] },
            new ReceiverSpec { Name = "r1", ForwardTo = ["w2"] },
            new ReceiverSpec { Name = "r2", ForwardTo = ["w2"] },
            new WriterSpec { Name = "w2", Options = new WriteOptions { Endpoints = [new WriteEndpointOptions { Url = "http://pyroscope:4040" }] } },
            new BackendSpec { Name = "pyroscope", Latency = Distributions.LogNormal(0.7, 0.4), Concurrency = 2048 },
        ],
        Links =
        [
            new LinkSpec { From = "w1", To = "lb", Rtt = TimeSpan.FromMilliseconds(2) },
            new LinkSpec { From = "w2", To = "pyroscope", Rtt = TimeSpan.FromMilliseconds(1) },
        ],
    };

    /// <summary>Runs the workload into <paramref name="sink"/> (a counting one when null) and measures it.</summary>
    public static FleetMeasurement Measure(int agents = 10_000, TimeSpan? duration = null, IRecordSink? sink = null)
    {
        var spec = Spec(agents, duration);
        var counting = sink ?? new CountingSink();
        var clock = Stopwatch.StartNew();
        var result = SimulationRun.Execute(spec, counting);
        clock.Stop();
        long pushes = result.Sources.Sum(s => s.Pushes);
        return new FleetMeasurement(pushes, result.EventsProcessed, result.PushRecords, result.AttemptRecords, clock.Elapsed);
    }

    private sealed class CountingSink : IRecordSink
    {
        public long Records { get; private set; }

        public void OnPush(PushRecord push) => Records++;

        public void OnAttempt(AttemptRecord attempt) => Records++;

        public void OnSample(in MetricSample sample) => Records++;
    }
}

/// <summary>One run of the fleet workload: how much it simulated and how long it took.</summary>
public readonly record struct FleetMeasurement(long SourcePushes, long Events, long PushRecords, long AttemptRecords, TimeSpan Wall)
{
    public double PushesPerSecond => SourcePushes / Wall.TotalSeconds;

    public double EventsPerSecond => Events / Wall.TotalSeconds;
}
