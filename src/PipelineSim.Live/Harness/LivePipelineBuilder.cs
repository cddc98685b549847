using System.Net;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Metrics;
using PipelineSim.Live.Proxy;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Time;
using PipelineSim.Live.Writer;
using PipelineSim.Spec;

namespace PipelineSim.Live.Harness;

/// <summary>
/// Declares a pipeline of live components by name, the way a scenario file does, and starts it on loopback with
/// ports chosen by the kernel. A writer endpoint's <see cref="WriteEndpointOptions.Url"/> names the receiver or
/// backend it pushes to by its host, as a scenario does (<c>r</c>, <c>http://r:8080</c>), or is a real address; the
/// URL stays the endpoint's name in records and metrics. <see cref="AddLink"/> puts a fault proxy on a writer's way
/// to one. <see cref="LiveTopology.FromSpec"/> builds one from a scenario's spec.
/// </summary>
/// <example>
/// <code>
/// var pipeline = await new LivePipelineBuilder(new LiveRunOptions { TimeScale = 0.05, Seed = 7 }, sink)
///     .AddBackend("pyroscope", new BackendSpec { Name = "pyroscope", Latency = Distributions.LogNormal(0.7, 0.4) })
///     .AddWriter("w2", new WriteOptions { Endpoints = [new WriteEndpointOptions { Url = "pyroscope" }] })
///     .AddLink("w2", "pyroscope", new FaultProxyOptions { IdleTimeout = TimeSpan.FromSeconds(240) })
///     .AddReceiver("r", new ReceiverSpec { Name = "r", ForwardTo = ["w2"] })
///     .AddWriter("w1", new WriteOptions { Endpoints = [new WriteEndpointOptions { Url = "r" }] })
///     .AddAgents(new SourceSpec { Name = "agents", Count = 20, To = "w1" })
///     .Schedule(TimeSpan.FromMinutes(10), p => p.Link("w2", "pyroscope").BreakAllFlows())
///     .StartAsync();
/// await pipeline.RunAsync(TimeSpan.FromMinutes(30));
/// </code>
/// </example>
public sealed class LivePipelineBuilder(LiveRunOptions options, IRecordSink? sink = null)
{
    private readonly Dictionary<string, (BackendSpec Spec, IReadOnlyList<OutageSpec> ExtraOutages)> backends = [];
    private readonly Dictionary<string, ReceiverSpec> receivers = [];
    private readonly Dictionary<string, WriteOptions> writers = [];
    private readonly Dictionary<(string From, string To), FaultProxyOptions> links = [];
    private readonly Dictionary<string, SourceSpec> fleets = [];
    private readonly List<ScheduledAction> actions = [];
    private readonly HashSet<string> names = [];
    private readonly List<string> problems = [];

    /// <summary>A backend stub for <paramref name="backend"/> (named <paramref name="name"/>), with outage windows from faults beside its own.</summary>
    public LivePipelineBuilder AddBackend(string name, BackendSpec backend, IReadOnlyList<OutageSpec>? extraOutages = null) =>
        Add(name, () => backends.Add(name, (backend with { Name = name }, extraOutages ?? [])));

    /// <summary>A live receiver for <paramref name="receiver"/> (named <paramref name="name"/>), forwarding to the writers its forward_to names.</summary>
    public LivePipelineBuilder AddReceiver(string name, ReceiverSpec receiver) =>
        Add(name, () => receivers.Add(name, receiver with { Name = name }));

    public LivePipelineBuilder AddWriter(string name, WriteOptions writer) => Add(name, () => writers.Add(name, writer));

    /// <summary>A scenario's source: agents pushing through the writer its <see cref="SourceSpec.To"/> names.</summary>
    public LivePipelineBuilder AddAgents(SourceSpec source) => Add(source.Name, () => fleets.Add(source.Name, source));

    /// <summary>Writer <paramref name="from"/> reaches component <paramref name="to"/> through a fault proxy.</summary>
    public LivePipelineBuilder AddLink(string from, string to, FaultProxyOptions proxy)
    {
        if (!links.TryAdd((from, to), proxy)) problems.Add($"link {from}->{to} is declared twice");
        return this;
    }

    /// <summary>Runs <paramref name="action"/> at <paramref name="at"/> (scenario time from the run's start): faults.</summary>
    public LivePipelineBuilder Schedule(TimeSpan at, Func<LivePipeline, Task> action)
    {
        actions.Add(new ScheduledAction(at, action));
        return this;
    }

    /// <summary>Every problem with the declared topology, one line each; empty when it can start.</summary>
    public IReadOnlyList<string> Validate()
    {
        var found = new List<string>(problems);
        foreach (var (name, backend) in backends) found.AddRange(backend.Spec.Validate().Select(p => $"{name}: {p}"));
        foreach (var (name, fleet) in fleets)
        {
            found.AddRange(fleet.Validate().Select(p => $"{name}: {p}"));
            if (!writers.ContainsKey(fleet.To)) found.Add($"{name}: to \"{fleet.To}\" is not a writer");
        }
        foreach (var (name, receiver) in receivers)
        {
            found.AddRange(receiver.Validate().Select(p => $"{name}: {p}"));
            foreach (string target in receiver.ForwardTo.Where(t => !writers.ContainsKey(t)))
                found.Add($"{name}: forward_to \"{target}\" is not a writer");
        }
        foreach (var (name, writer) in writers)
        {
            found.AddRange(new WriterSpec { Name = name, Options = writer }.Validate().Select(p => $"{name}: {p}"));
            foreach (var endpoint in writer.Endpoints.Where(e => ServerOf(e.Url) is null && !IsAddress(e.Url)))
                found.Add($"{name}: endpoint url \"{endpoint.Url}\" is neither a receiver, a backend nor an http address");
        }
        foreach (var ((from, to), proxy) in links)
        {
            if (!writers.ContainsKey(from)) found.Add($"link {from}->{to}: \"{from}\" is not a writer");
            if (!IsServer(to)) found.Add($"link {from}->{to}: \"{to}\" is not a receiver or backend");
            found.AddRange(proxy.Validate().Select(p => $"link {from}->{to}: {p}"));
        }
        if (!(options.TimeScale > 0)) found.Add($"time scale {options.TimeScale} must be positive");
        return found;
    }

    public async Task<LivePipeline> StartAsync(CancellationToken cancellationToken = default)
    {
        var found = Validate();
        if (found.Count > 0) throw new ArgumentException(string.Join(Environment.NewLine, found));

        ThreadPoolHeadroom.Ensure();
        var runSink = sink is null ? null : new RunTimeSink(sink);
        var context = new LiveContext(new LiveClock(options.TimeScale, options.Time), runSink, new MetricRegistry(), options.Seed) { Warn = options.Warn };
        var pipeline = new LivePipeline(context, runSink, options, actions);
        try
        {
            // Servers first (their ports are what everyone else needs), then proxies in front of them, then writers.
            foreach (var (name, backend) in backends)
            {
                pipeline.Add(name, await BackendStub.StartAsync(backend.Spec, context, BackendStub.Loopback, backend.ExtraOutages, cancellationToken)
                    .ConfigureAwait(false));
            }
            foreach (var (name, receiver) in receivers)
            {
                var loopback = receiver with { Http = receiver.Http with { ListenAddress = "127.0.0.1", ListenPort = 0 } };
                pipeline.Add(name, await LiveReceiver.StartAsync(loopback, context, cancellationToken).ConfigureAwait(false));
            }
            foreach (var ((from, to), proxy) in links)
            {
                var loopback = proxy with { ListenAddress = "127.0.0.1", ListenPort = 0 };
                pipeline.Add(from, to, FaultProxy.Start($"{from}->{to}", loopback, pipeline.EndPointOf(to), context));
            }

            var agentWriters = fleets.Values.Select(f => f.To).ToHashSet();
            foreach (var (name, writer) in writers)
            {
                // A writer only agents use exists once per agent instead; any other is one component instance.
                if (!agentWriters.Contains(name) || receivers.Values.Any(r => r.ForwardTo.Contains(name)))
                    pipeline.Add(new LiveWriter(name, writer, context, AddressesFor(name, writer, pipeline), TransitsFor(name, writer, pipeline)));
            }
            foreach (var (name, receiver) in receivers)
                pipeline.Receivers[name].ForwardTo(receiver.ForwardTo.Select(t => pipeline.Writers[t]));
            foreach (var fleet in fleets.Values)
            {
                var writer = writers[fleet.To];
                int instances = fleet.Writer == WriterSharing.Shared ? Math.Min(1, fleet.Count) : fleet.Count;
                var instancesOf = Enumerable.Range(0, instances)
                    .Select(_ => new LiveWriter(fleet.To, writer, context, AddressesFor(fleet.To, writer, pipeline), TransitsFor(fleet.To, writer, pipeline)))
                    .ToList();
                pipeline.Add(new AgentFleet(fleet, instancesOf, context), instancesOf, writer.Endpoints.Count);
            }
            if (options.ServeMetrics)
                pipeline.Metrics = await MetricsServer.StartAsync(context.Metrics, new IPEndPoint(IPAddress.Loopback, 0), cancellationToken)
                    .ConfigureAwait(false);
            return pipeline;
        }
        catch
        {
            await pipeline.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private Dictionary<string, Uri> AddressesFor(string writer, WriteOptions options, LivePipeline pipeline)
    {
        var addresses = new Dictionary<string, Uri>();
        foreach (var endpoint in options.Endpoints)
        {
            if (ServerOf(endpoint.Url) is not string server) continue;
            addresses[endpoint.Url] = links.ContainsKey((writer, server))
                ? pipeline.Link(writer, server).BaseUri
                : pipeline.BaseUriOf(server);
        }
        return addresses;
    }

    /// <summary>The one-way latency a writer's link proxy adds to each endpoint behind it, read when a request is sent.</summary>
    private Dictionary<string, Func<TimeSpan>> TransitsFor(string writer, WriteOptions options, LivePipeline pipeline)
    {
        var transits = new Dictionary<string, Func<TimeSpan>>();
        foreach (var endpoint in options.Endpoints)
        {
            if (ServerOf(endpoint.Url) is not string server || !links.ContainsKey((writer, server))) continue;
            var proxy = pipeline.Link(writer, server);
            transits[endpoint.Url] = () => proxy.Latency;
        }
        return transits;
    }

    private LivePipelineBuilder Add(string name, Action add)
    {
        if (string.IsNullOrWhiteSpace(name)) problems.Add("a component has no name");
        else if (!names.Add(name)) problems.Add($"\"{name}\" is declared twice");
        else add();
        return this;
    }

    private bool IsServer(string name) => receivers.ContainsKey(name) || backends.ContainsKey(name);

    /// <summary>The receiver or backend an endpoint URL names: the URL itself, or its host (<c>http://r:8080</c> names r).</summary>
    private string? ServerOf(string url)
    {
        if (IsServer(url)) return url;
        string host = EndpointUrl.TargetName(url);
        return IsServer(host) ? host : null;
    }

    private static bool IsAddress(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}

internal sealed record ScheduledAction(TimeSpan At, Func<LivePipeline, Task> Action);
