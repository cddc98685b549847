using PipelineSim.Spec;
using System.Net;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Metrics;
using PipelineSim.Live.Proxy;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Time;
using PipelineSim.Live.Writer;

namespace PipelineSim.Live.Harness;

/// <summary>
/// A running pipeline of live components on loopback, built by <see cref="LivePipelineBuilder"/>. <see cref="RunAsync"/>
/// lets the agents push for a scenario duration, samples the metrics on a fixed step, runs the scheduled faults, and
/// at the end records every push still running as in flight. Records go to the builder's sink with time 0 at the
/// start of the run.
/// </summary>
public sealed class LivePipeline : IAsyncDisposable
{
    private readonly RunTimeSink? sink;
    private readonly LiveRunOptions options;
    private readonly IReadOnlyList<ScheduledAction> actions;
    private readonly Dictionary<string, LiveReceiver> receivers = [];
    private readonly Dictionary<string, BackendStub> backends = [];
    private readonly Dictionary<string, LiveWriter> writers = [];
    private readonly Dictionary<(string From, string To), FaultProxy> links = [];
    private readonly List<(AgentFleet Fleet, List<LiveWriter> Writers, int Endpoints)> fleets = [];
    private int ran;
    private Instant started = Instant.MaxValue;

    internal LivePipeline(LiveContext context, RunTimeSink? sink, LiveRunOptions options, IReadOnlyList<ScheduledAction> actions)
    {
        Context = context;
        this.sink = sink;
        this.options = options;
        this.actions = actions;
    }

    public LiveContext Context { get; }

    public LiveClock Clock => Context.Clock;

    public IReadOnlyDictionary<string, LiveReceiver> Receivers => receivers;

    public IReadOnlyDictionary<string, BackendStub> Backends => backends;

    /// <summary>Writers that are one component instance (those a receiver forwards to, or no agent uses).</summary>
    public IReadOnlyDictionary<string, LiveWriter> Writers => writers;

    /// <summary>The shared <c>/metrics</c> endpoint, when served.</summary>
    public Uri? MetricsUri => Metrics?.MetricsUri;

    internal MetricsServer? Metrics { get; set; }

    /// <summary>The fault proxy on writer <paramref name="from"/>'s way to <paramref name="to"/>.</summary>
    public FaultProxy Link(string from, string to) =>
        links.TryGetValue((from, to), out var proxy) ? proxy : throw new KeyNotFoundException($"No link {from}->{to}.");

    public IReadOnlyList<ReceiverStats> ReceiverStats() => receivers.Values.Select(r => r.Stats()).ToList();

    /// <summary>Each agent fleet's figures, as the simulator reports a source's.</summary>
    public IReadOnlyList<SourceResult> SourceResults() => [.. fleets.Select(f => new SourceResult
    {
        Source = f.Fleet.Name,
        Agents = f.Fleet.Count,
        Pushes = f.Fleet.Pushes,
        ProfilesCreated = f.Fleet.ProfilesCreated,
        SkippedTicks = f.Fleet.SkippedTicks,
    })];

    /// <summary>Each backend's figures, as the simulator reports them.</summary>
    public IReadOnlyList<BackendResult> BackendResults() => [.. backends.Values.Select(b => new BackendResult
    {
        Backend = b.Name,
        Requests = b.Requests,
        Ingested = b.Ingested,
        Rejected = b.Rejected,
        PeakConnections = b.PeakConnections,
    })];

    /// <summary>
    /// Profiles the agents created, counted once per endpoint of the writer they were handed to (the first hop): what
    /// every first-hop push record must account for as delivered, dropped or in flight.
    /// </summary>
    public long FirstHopProfilesCreated() => fleets.Sum(f => f.Fleet.ProfilesCreated * f.Endpoints);

    /// <summary>Scenario time since <see cref="RunAsync"/> started the agents (zero before).</summary>
    public TimeSpan Elapsed
    {
        get
        {
            var now = Clock.Now;
            return now > started ? now - started : TimeSpan.Zero;
        }
    }

    /// <summary>
    /// Runs the agents for <paramref name="duration"/> of scenario time (<c>duration × time scale</c> of wall time), then
    /// stops every writer at once so that each push still running is recorded as in flight.
    /// </summary>
    public async Task RunAsync(TimeSpan duration, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref ran, 1) != 0) throw new InvalidOperationException("A pipeline runs once.");
        var start = Clock.Now;
        started = start;
        if (sink is not null) sink.Origin = start;
        var end = start + duration;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var agents = fleets.Select(f => f.Fleet.RunAsync(start, end, stop.Token)).ToList();
        var sampler = SampleAsync(start, end, stop.Token);
        var faults = actions.Select(a => RunScheduledAsync(start + a.At, end, a.Action, stop.Token)).ToList();
        try
        {
            await Clock.DelayUntil(end, cancellationToken).ConfigureAwait(false);
            // The sampler's last grid sample comes before the end's, even when a busy thread pool ran it late: each
            // series' samples then reach the sink in time order (an OpenMetrics export relies on it).
            await sampler.ConfigureAwait(false);
            if (options.SampleStep > TimeSpan.Zero) Context.SampleMetrics(end);
        }
        finally
        {
            if (sink is not null) Context.WithRecordsPaused(sink.BeginTeardown);
            foreach (var writer in AllWriters()) writer.BeginStop();
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(agents.Concat(faults).Append(sampler)).ConfigureAwait(false);
            // Forwarded pushes inside a receiver may outlive their agent's push by a moment.
            for (int i = 0; i < 200 && AllWriters().Any(w => w.InFlight > 0); i++) await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
            if (sink is not null) Context.WithRecordsPaused(sink.EndTeardown);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var writer in AllWriters()) writer.BeginStop();
        foreach (var writer in AllWriters()) await writer.DisposeAsync().ConfigureAwait(false);
        foreach (var receiver in receivers.Values) await receiver.DisposeAsync().ConfigureAwait(false);
        foreach (var proxy in links.Values) await proxy.DisposeAsync().ConfigureAwait(false);
        foreach (var backend in backends.Values) await backend.DisposeAsync().ConfigureAwait(false);
        if (Metrics is not null) await Metrics.DisposeAsync().ConfigureAwait(false);
    }

    internal void Add(string name, BackendStub backend) => backends.Add(name, backend);

    internal void Add(string name, LiveReceiver receiver) => receivers.Add(name, receiver);

    internal void Add(string from, string to, FaultProxy proxy) => links.Add((from, to), proxy);

    internal void Add(LiveWriter writer) => writers.Add(writer.Name, writer);

    /// <summary>The agent fleets, by source name.</summary>
    internal IReadOnlyDictionary<string, AgentFleet> Fleets => fleets.ToDictionary(f => f.Fleet.Name, f => f.Fleet);

    internal void Add(AgentFleet fleet, List<LiveWriter> instances, int endpoints) => fleets.Add((fleet, instances, endpoints));

    internal IPEndPoint EndPointOf(string server) =>
        receivers.TryGetValue(server, out var r) ? r.EndPoint : backends[server].EndPoint;

    internal Uri BaseUriOf(string server) => receivers.TryGetValue(server, out var r) ? r.BaseUri : backends[server].BaseUri;

    private IEnumerable<LiveWriter> AllWriters() => writers.Values.Concat(fleets.SelectMany(f => f.Writers));

    /// <summary>Samples at start, start + step, ... before the end (the run adds the end), stamped with the grid instant.</summary>
    private async Task SampleAsync(Instant start, Instant end, CancellationToken cancellationToken)
    {
        if (options.SampleStep <= TimeSpan.Zero) return;
        try
        {
            for (var at = start; at < end; at += options.SampleStep)
            {
                await Clock.DelayUntil(at, cancellationToken).ConfigureAwait(false);
                Context.SampleMetrics(at);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RunScheduledAsync(Instant at, Instant end, Func<LivePipeline, Task> action, CancellationToken cancellationToken)
    {
        if (at >= end) return;
        try
        {
            await Clock.DelayUntil(at, cancellationToken).ConfigureAwait(false);
            await action(this).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
