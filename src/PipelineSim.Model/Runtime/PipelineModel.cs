using PipelineSim.Core.Backend;
using PipelineSim.Core.Records;
using PipelineSim.Core.Statistics;
using PipelineSim.Kernel;
using PipelineSim.Model.Components;
using PipelineSim.Model.Http;
using PipelineSim.Model.Net;
using PipelineSim.Model.Recording;
using PipelineSim.Spec;

namespace PipelineSim.Model.Runtime;

/// <summary>A spec turned into entities on one simulation: built, run to the end, then read out.</summary>
internal sealed class PipelineModel
{
    private readonly PipelineSpec spec;
    private readonly World world;
    private readonly Sampler sampler;
    private readonly List<WriterComponent> writers = [];
    private readonly List<Receiver> receivers = [];
    private readonly List<Backend> backends = [];
    private readonly List<AgentFleet> fleets = [];
    private readonly Dictionary<string, IDialTarget> targets = new(StringComparer.Ordinal);

    /// <summary>
    /// How far ahead the model's handlers prefetch: from an exchange's response to its push, the push's caller, the
    /// caller's exchange and that one's flow is four references (<see cref="HotBytes"/>). At 100,000 agents x 10 min
    /// this took a third off the run; at 10,000 agents, whose objects mostly fit in the caches, it changed nothing.
    /// </summary>
    internal const int PrefetchDepths = 4;

    public PipelineModel(PipelineSpec spec, ulong seed, TimeSpan duration, IRecordSink sink)
    {
        this.spec = spec;
        var sim = new Simulation(PrefetchDepths);
        var recorder = new Recorder(sink);
        world = new World(sim, new RandomStreams(seed), spec.Network, new Network(spec.Links, spec.Network.DefaultRtt), recorder, duration.Ticks);
        sampler = new Sampler(sim, recorder, spec.SampleStep.Ticks, duration.Ticks);
        Build();
    }

    public Simulation Sim => world.Sim;

    private void Build()
    {
        var faults = new FaultSchedule(world);
        var outagesByBackend = spec.Faults.OfType<BackendOutageFault>()
            .ToLookup(f => f.Backend, f => new OutageSpec(f.At, f.Duration, f.Mode), StringComparer.Ordinal);

        var forwarding = new List<(Receiver Receiver, ReceiverSpec Spec)>();
        var l4 = new List<(L4Balancer Balancer, LoadBalancerSpec Spec)>();
        var l7 = new List<(L7Balancer Balancer, LoadBalancerSpec Spec)>();
        var servers = new Dictionary<string, HttpServer>(StringComparer.Ordinal);
        foreach (var component in spec.Components)
        {
            switch (component)
            {
                case ReceiverSpec receiverSpec:
                    var receiver = new Receiver(world, receiverSpec);
                    receivers.Add(receiver);
                    forwarding.Add((receiver, receiverSpec));
                    servers.Add(receiver.Name, receiver);
                    break;
                case BackendSpec backendSpec:
                    var backend = new Backend(world, backendSpec, outagesByBackend[backendSpec.Name]);
                    backends.Add(backend);
                    servers.Add(backend.Name, backend);
                    foreach (var outage in backend.Outages.Where(o => o.Kind == OutageKind.Refuse))
                        faults.Refuse(outage.Start.Ticks, backend, outage.End.Ticks);
                    break;
                case LoadBalancerSpec { Layer: LoadBalancerLayer.L4 } balancerSpec:
                    var balancer = new L4Balancer(world, balancerSpec);
                    l4.Add((balancer, balancerSpec));
                    targets.Add(balancer.Name, balancer);
                    break;
                case LoadBalancerSpec balancerSpec:
                    var proxy = new L7Balancer(world, balancerSpec);
                    l7.Add((proxy, balancerSpec));
                    servers.Add(proxy.Name, proxy);
                    break;
            }
        }
        foreach (var (name, server) in servers) targets.Add(name, server);
        foreach (var (balancer, balancerSpec) in l4) balancer.SetTargets([.. balancerSpec.Targets.Select(t => servers[t])]);
        foreach (var (proxy, balancerSpec) in l7) proxy.SetTargets([.. balancerSpec.Targets.Select(t => targets[t])]);

        var writerByName = new Dictionary<string, WriterComponent>(StringComparer.Ordinal);
        foreach (var writerSpec in spec.Components.OfType<WriterSpec>())
        {
            var endpointTargets = writerSpec.Options.Endpoints.Select(e => targets[EndpointUrl.TargetName(e.Url)]).ToList();
            var writer = new WriterComponent(world, writerSpec, endpointTargets);
            writers.Add(writer);
            writerByName.Add(writer.Name, writer);
        }
        foreach (var (receiver, receiverSpec) in forwarding) receiver.Targets = [.. receiverSpec.ForwardTo.Select(w => writerByName[w].Shared)];

        foreach (var fault in spec.Faults)
        {
            switch (fault)
            {
                case DropIdleFlowsFault drop:
                    faults.DropIdleFlows(drop.At.Ticks, world.Network.Find(drop.Link)!, drop.Mode);
                    break;
                case PartitionFault partition:
                    FaultSchedule.Partition(world.Network.Find(partition.Link)!, partition.At.Ticks, partition.Duration);
                    break;
                case RestartFault restart when targets[restart.Component] is L4Balancer balancer:
                    faults.Restart(restart.At.Ticks, balancer, restart.Downtime);
                    break;
                case RestartFault restart:
                    faults.Restart(restart.At.Ticks, (HttpServer)targets[restart.Component], restart.Downtime);
                    break;
                case RandomLinkBreaksFault breaks:
                    faults.RandomBreaks(world.Network.Find(breaks.Link)!, breaks);
                    break;
            }
        }

        foreach (var source in spec.Sources) fleets.Add(new AgentFleet(world, source, writerByName[source.To]));

        foreach (var writer in writers) sampler.AddWriter(writer.Metrics);
        foreach (var receiver in receivers) sampler.AddReceiver(receiver);
        foreach (var backend in backends) sampler.AddBackend(backend);
        sampler.Start();
    }

    /// <summary>Runs to the end in slices, reporting progress after each and stopping between slices once cancelled.</summary>
    public void Run(Action<RunProgress>? progress, CancellationToken cancellation = default)
    {
        long end = world.End;
        long slice = Math.Max(TimeSpan.TicksPerSecond, end / 200);
        for (long t = Math.Min(slice, end); ; t = Math.Min(t + slice, end))
        {
            cancellation.ThrowIfCancellationRequested();
            world.Sim.RunUntil(t);
            progress?.Invoke(new RunProgress(new TimeSpan(t), new TimeSpan(end), world.Sim.EventsProcessed, world.Recorder.PushesRecorded));
            if (t == end) break;
        }
        sampler.SampleNow();
        foreach (var push in world.Active.InOrder()) world.Recorder.Push(push.InFlightRecord(end));
    }

    public SimulationResult Result(ulong seed)
    {
        var inFlight = new Dictionary<(string, string), long>();
        long firstHopInFlight = 0;
        foreach (var push in world.Active.InOrder())
        {
            var key = (push.Writer, push.Endpoint);
            inFlight[key] = inFlight.GetValueOrDefault(key) + 1;
            if (push.FromSource) firstHopInFlight += push.Profiles;
        }

        var books = world.Books;
        var conservation = new Conservation
        {
            Created = books.Created,
            Delivered = books.Delivered,
            DroppedByCode = books.DroppedByCode.ByName(),
            InFlight = firstHopInFlight,
            Ingested = books.Ingested,
            Duplicates = books.Duplicates,
        };
        if (!conservation.Holds) throw new ConservationException(conservation, "first-hop pushes were lost or invented");

        var writerResults = new List<WriterResult>();
        foreach (var writer in writers)
        {
            var endpoints = new List<EndpointResult>();
            foreach (var metrics in writer.Metrics.Endpoints)
            {
                long running = inFlight.GetValueOrDefault((writer.Name, metrics.Url));
                if (metrics.Pushes != metrics.Delivered + metrics.Failed + running)
                    throw new ConservationException(conservation,
                        $"{writer.Name} {metrics.Url}: {metrics.Pushes} pushes started, {metrics.Delivered} delivered, {metrics.Failed} failed, {running} running");
                endpoints.Add(EndpointResultOf(metrics, running));
            }
            writerResults.Add(new WriterResult { Writer = writer.Name, Endpoints = endpoints });
        }

        return new SimulationResult
        {
            Scenario = spec.Name,
            Seed = seed,
            Duration = new TimeSpan(world.End),
            Writers = writerResults,
            Receivers = [.. receivers.Select(r => r.Stats())],
            Backends = [.. backends.Select(b => new BackendResult
            {
                Backend = b.Name,
                Requests = b.RequestsHandled,
                Ingested = b.Ingested,
                Rejected = b.Rejected,
                PeakConnections = b.PeakAccepted,
            })],
            Sources = [.. fleets.Select(f => new SourceResult
            {
                Source = f.Spec.Name,
                Agents = f.Agents.Length,
                Pushes = f.Pushes,
                ProfilesCreated = f.ProfilesCreated,
                SkippedTicks = f.SkippedTicks,
            })],
            Conservation = conservation,
            EventsProcessed = world.Sim.EventsProcessed,
            PushRecords = world.Recorder.PushesRecorded,
            AttemptRecords = world.Recorder.AttemptsRecorded,
        };
    }

    private static EndpointResult EndpointResultOf(EndpointMetrics metrics, long inFlight)
    {
        var latencies = metrics.PushLatencies;
        TimeSpan Rank(double q) => latencies.Count == 0
            ? TimeSpan.Zero
            : new TimeSpan(latencies.Nth(NearestRank.Index(q, latencies.Count)));
        var perPush = metrics.AttemptsPerPush[..(metrics.MaxAttempts + 1)].ToArray();
        return new EndpointResult
        {
            Writer = metrics.Writer,
            Endpoint = metrics.Url,
            Pushes = metrics.Pushes,
            Delivered = metrics.Delivered,
            Failed = metrics.Failed,
            InFlight = inFlight,
            FailedByCode = metrics.FailedByCode.ByName(),
            Attempts = metrics.Attempts,
            AttemptsReused = metrics.AttemptsReused,
            AttemptsByCode = metrics.AttemptsByCode.ByName(),
            AttemptsPerPush = perPush,
            MaxAttempts = metrics.MaxAttempts,
            Retries = metrics.Retries,
            SentProfiles = metrics.SentProfiles,
            DroppedProfiles = metrics.DroppedProfiles,
            SentBytes = metrics.SentBytes,
            DroppedBytes = metrics.DroppedBytes,
            LatencyP50 = Rank(0.50),
            LatencyP90 = Rank(0.90),
            LatencyP99 = Rank(0.99),
            LatencyMax = new TimeSpan(latencies.Max),
        };
    }
}
