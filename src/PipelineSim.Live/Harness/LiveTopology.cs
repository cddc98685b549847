using System.Globalization;
using PipelineSim.Core.Connections;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Proxy;
using PipelineSim.Live.Receiver;
using PipelineSim.Spec;

namespace PipelineSim.Live.Harness;

/// <summary>
/// A scenario's <see cref="PipelineSpec"/> as live components: sources become agent fleets, writers, receivers and
/// backends their live counterparts with the same options, links fault proxies, and the faults the live side can
/// play scheduled actions. What live cannot do is refused by <see cref="Check"/>, one problem per scenario key,
/// never left out quietly: a live run either is the scenario or does not start.
/// </summary>
public static class LiveTopology
{
    /// <summary>
    /// A link this fast needs no proxy: loopback plus the components' own work already costs about a millisecond of
    /// scenario time at the usual time scales.
    /// </summary>
    public static readonly TimeSpan LoopbackRtt = TimeSpan.FromMilliseconds(1);

    /// <summary>Everything in <paramref name="spec"/> that cannot run live (and every model validation problem).</summary>
    public static IReadOnlyList<SpecProblem> Check(PipelineSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new List<SpecProblem>(SpecValidator.Validate(spec));
        if (problems.Count > 0) return problems;
        void Problem(string path, string message) => problems.Add(new SpecProblem(path, message));

        CheckNetwork(spec.Network, Problem);
        var components = spec.Components.ToDictionary(c => c.Name, StringComparer.Ordinal);
        foreach (var component in spec.Components)
        {
            string path = "components." + component.Name;
            switch (component)
            {
                case LoadBalancerSpec:
                    Problem(path + ".kind", "load_balancer cannot run live: there is no live load balancer (L4 pinning and L7 pooling are the simulator's alone)");
                    break;
                case WriterSpec writer:
                    CheckWriter(path, writer, Problem);
                    break;
                case ReceiverSpec receiver:
                    if (receiver.Http.Http2Enabled)
                        Problem(path + ".http2.enabled", "cannot run live: the live receiver speaks HTTP/1.1 only");
                    // The kernel would cap the backlog silently (the live receiver reports the capped value); a live run
                    // of the scenario would then hold fewer waiting connections than its simulation.
                    int somaxconn = ListenQueueProbe.SystemMaxBacklog();
                    if (receiver.AcceptBacklog > somaxconn)
                        Problem(path + ".accept_backlog", $"{receiver.AcceptBacklog} cannot run live: this machine's kernel caps listen backlogs at somaxconn = {somaxconn} (raise net.core.somaxconn, or lower accept_backlog)");
                    break;
                case BackendSpec backend:
                    for (int i = 0; i < backend.Outages.Count; i++)
                    {
                        if (backend.Outages[i].Mode == OutageMode.Refuse)
                            Problem($"{path}.outages[{i}].mode", RefuseCannotRunLive);
                    }
                    break;
            }
        }
        foreach (var source in spec.Sources) CheckSource("sources." + source.Name, source, Problem);
        for (int i = 0; i < spec.Links.Count; i++)
        {
            if (MiddleboxProblem(spec.Links[i], components) is string problem) Problem($"links[{i}].middlebox", problem);
        }
        for (int i = 0; i < spec.Faults.Count; i++) CheckFault($"faults[{i}]", spec.Faults[i], Problem);
        return problems;
    }

    /// <summary>
    /// The builder for <paramref name="spec"/>'s topology; <paramref name="options"/> gives the time scale, seed and
    /// sample step as given (see <see cref="LiveScenarioRun"/> for the scenario's own). Throws a
    /// <see cref="SpecException"/> with every problem <see cref="Check"/> finds.
    /// </summary>
    public static LivePipelineBuilder FromSpec(PipelineSpec spec, LiveRunOptions options, IRecordSink? sink = null)
    {
        var problems = Check(spec);
        if (problems.Count > 0) throw new SpecException(problems);

        var builder = new LivePipelineBuilder(options, sink);
        var outages = ExtraOutages(spec);
        foreach (var component in spec.Components)
        {
            switch (component)
            {
                case BackendSpec backend:
                    builder.AddBackend(backend.Name, backend, outages[backend.Name]);
                    break;
                case ReceiverSpec receiver:
                    builder.AddReceiver(receiver.Name, receiver);
                    break;
                case WriterSpec writer:
                    builder.AddWriter(writer.Name, writer.Options);
                    break;
            }
        }
        foreach (var link in LinksNeedingProxies(spec)) builder.AddLink(link.From, link.To, ProxyFor(link, spec));
        foreach (var source in spec.Sources) builder.AddAgents(source);
        foreach (var fault in spec.Faults.OfType<DropIdleFlowsFault>())
        {
            var (from, to) = SplitLink(fault.Link);
            var mode = ToFlowBreak(fault.Mode);
            builder.Schedule(fault.At, pipeline =>
            {
                pipeline.Link(from, to).BreakIdleFlows(mode);
                return Task.CompletedTask;
            });
        }
        return builder;
    }

    /// <summary>
    /// The live agents are Go-ticker loops that push synchronously with one fixed deadline (Live's AgentFleet): the
    /// open Poisson source and drawn deadlines are the simulator's, for checking it against the queueing formulas.
    /// </summary>
    private static void CheckSource(string path, SourceSpec source, Action<string, string> problem)
    {
        if (source.Arrivals == ArrivalProcess.Poisson)
            problem(path + ".arrivals", "poisson cannot run live: live agents push on Go's ticker, one push at a time (ticker can)");
        if (source.PushTimeout is not null && source.FixedPushTimeout is null)
            problem(path + ".push_timeout", $"{source.PushTimeout} cannot run live: live agents push with one fixed deadline (a duration can)");
    }

    private const string RefuseCannotRunLive =
        "refuse cannot run live: the backend stub cannot stop listening and come back on the same port mid-run (unavailable and hang can)";

    private static void CheckNetwork(NetworkSpec network, Action<string, string> problem)
    {
        var linux = NetworkSpec.Linux;
        const string Why = "live runs use this machine's kernel TCP, so only the Linux default";
        if (network.InitialSynRto != linux.InitialSynRto) problem("network.initial_syn_rto", $"cannot run live: {Why} (1s) can");
        if (network.SynRetries != linux.SynRetries) problem("network.syn_retries", $"cannot run live: {Why} (6) can");
        if (network.InitialRto != linux.InitialRto) problem("network.initial_rto", $"cannot run live: {Why} (200ms) can");
        if (network.MaxRto != linux.MaxRto) problem("network.max_rto", $"cannot run live: {Why} (120s) can");
        if (network.DataRetries != linux.DataRetries) problem("network.data_retries", $"cannot run live: {Why} (15) can");
    }

    private static void CheckWriter(string path, WriterSpec writer, Action<string, string> problem)
    {
        var defaults = HttpTransportOptions.AlloyDefault;
        for (int i = 0; i < writer.Options.Endpoints.Count; i++)
        {
            var endpoint = writer.Options.Endpoints[i];
            string at = $"{path}.endpoints[{i}]";
            if (EndpointUrl.IsTls(endpoint.Url))
                problem(at + ".url", $"{endpoint.Url} cannot run live: live servers speak plain HTTP/1.1 (no TLS, so no HTTP/2 either)");
            if (endpoint.ProxyFromEnvironment)
                problem(at + ".proxy_from_environment", "cannot run live: live writers connect to the loopback components directly");
            var transport = endpoint.Transport;
            // max_idle_conns_per_host and idle_conn_timeout run live: Core's pool decides them (ConnectionTracker).
            if (transport.MaxIdleConns != defaults.MaxIdleConns)
                problem(at + ".transport.max_idle_conns", $"cannot run live: the transport-wide idle cap is not part of Core's per-host pool, so only the default ({defaults.MaxIdleConns}) can");
            if (transport.ResponseHeaderTimeout is not null)
                problem(at + ".transport.response_header_timeout", "cannot run live: .NET's HttpClient has no response header timeout");
        }
    }

    private static void CheckFault(string path, FaultSpec fault, Action<string, string> problem)
    {
        switch (fault)
        {
            case PartitionFault:
                problem(path + ".kind", "partition cannot run live: the proxy terminates TCP, so it cannot lose packets and let TCP retransmit them");
                break;
            case RestartFault:
                problem(path + ".kind", "restart cannot run live: live servers cannot stop and come back on the same port mid-run");
                break;
            case RandomLinkBreaksFault:
                problem(path + ".kind", "random-link-breaks cannot run live: only scheduled breaks (drop-idle-flows) can");
                break;
            case BackendOutageFault { Mode: OutageMode.Refuse }:
                problem(path + ".mode", RefuseCannotRunLive);
                break;
        }
    }

    /// <summary>
    /// A middlebox the simulator keeps open with keep-alive probes the live proxy would never see (it terminates TCP,
    /// so each end's kernel answers its own probes). When every side's probes refresh it, the flows never time out
    /// and the proxy needs no idle timeout at all; when only some writers' probes do, no one proxy can play both.
    /// </summary>
    private static string? MiddleboxProblem(LinkSpec link, IReadOnlyDictionary<string, ComponentSpec> components)
    {
        if (link.Middlebox is null || components.GetValueOrDefault(link.From) is not WriterSpec writer) return null;
        if (ServerRefreshes(components.GetValueOrDefault(link.To), link.Middlebox.IdleTimeout)) return null;
        var refreshing = EndpointsTo(writer, link.To).Select(e => Refreshes(e.Transport.KeepAlive, link.Middlebox.IdleTimeout)).Distinct().ToList();
        return refreshing.Count > 1
            ? $"cannot run live: some endpoints of {link.From} to {link.To} keep this middlebox open with keep-alive probes and some do not, and one proxy plays the link for all of them"
            : null;
    }

    /// <summary>Every writer-to-server link that needs a proxy: one with a middlebox, one a fault names, or one slower than loopback.</summary>
    private static List<LinkSpec> LinksNeedingProxies(PipelineSpec spec)
    {
        var declared = spec.Links.ToDictionary(l => (l.From, l.To));
        var faulted = spec.Faults.OfType<DropIdleFlowsFault>().Select(f => SplitLink(f.Link)).ToHashSet();
        var links = new List<LinkSpec>();
        foreach (var writer in spec.Components.OfType<WriterSpec>())
        {
            foreach (string target in writer.Options.Endpoints.Select(e => EndpointUrl.TargetName(e.Url)).Distinct())
            {
                var link = declared.GetValueOrDefault((writer.Name, target))
                    ?? new LinkSpec { From = writer.Name, To = target, Rtt = spec.Network.DefaultRtt };
                if (link.Middlebox is not null || link.Rtt > LoopbackRtt || faulted.Contains((writer.Name, target))) links.Add(link);
            }
        }
        return links;
    }

    private static FaultProxyOptions ProxyFor(LinkSpec link, PipelineSpec spec)
    {
        var components = spec.Components.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var middlebox = link.Middlebox;
        bool keptOpen = middlebox is not null
            && (ServerRefreshes(components[link.To], middlebox.IdleTimeout)
                || EndpointsTo((WriterSpec)components[link.From], link.To).All(e => Refreshes(e.Transport.KeepAlive, middlebox.IdleTimeout)));
        return new FaultProxyOptions
        {
            Latency = link.Rtt / 2,
            IdleTimeout = keptOpen ? null : middlebox?.IdleTimeout,
            Mode = ToFlowBreak(middlebox?.Mode ?? MiddleboxMode.Silent),
        };
    }

    private static IEnumerable<WriteEndpointOptions> EndpointsTo(WriterSpec writer, string target) =>
        writer.Options.Endpoints.Where(e => EndpointUrl.TargetName(e.Url) == target);

    /// <summary>Core's rule, the simulator's too: probes refresh a middlebox when the first one comes before it forgets the flow.</summary>
    private static bool Refreshes(TcpKeepAliveOptions keepAlive, TimeSpan idleTimeout) => MiddleboxKeepAlive.ProbesKeepOpen(keepAlive, idleTimeout);

    private static bool ServerRefreshes(ComponentSpec? server, TimeSpan idleTimeout) => server switch
    {
        ReceiverSpec r => Refreshes(r.KeepAlive, idleTimeout),
        BackendSpec b => Refreshes(b.KeepAlive, idleTimeout),
        _ => false,
    };

    /// <summary>Backend outages that faults add, by backend, beside the backend's own windows.</summary>
    private static Dictionary<string, List<OutageSpec>> ExtraOutages(PipelineSpec spec)
    {
        var outages = spec.Components.OfType<BackendSpec>().ToDictionary(b => b.Name, _ => new List<OutageSpec>(), StringComparer.Ordinal);
        foreach (var fault in spec.Faults.OfType<BackendOutageFault>())
            outages[fault.Backend].Add(new OutageSpec(fault.At, fault.Duration, fault.Mode));
        return outages;
    }

    private static FlowBreak ToFlowBreak(MiddleboxMode mode) => mode == MiddleboxMode.Rst ? FlowBreak.Reset : FlowBreak.Silent;

    private static (string From, string To) SplitLink(string id)
    {
        int arrow = id.IndexOf("->", StringComparison.Ordinal);
        return arrow < 0
            ? throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"link \"{id}\" is not from->to"))
            : (id[..arrow], id[(arrow + 2)..]);
    }
}
