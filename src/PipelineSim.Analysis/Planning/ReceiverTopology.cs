using PipelineSim.Core.Options;
using PipelineSim.Core.Server;
using PipelineSim.Spec;

namespace PipelineSim.Analysis.Planning;

/// <summary>A writer endpoint as the records name it: the component and the endpoint URL.</summary>
public readonly record struct WriterEndpoint(string Writer, string Url);

/// <summary>
/// Where the planned receiver sits in a pipeline: which writer endpoints open connections to it (directly or through
/// L4 load balancers, whose connections are pinned to it), which first-hop endpoints (those sources push to) send
/// pushes through it, and which agents hold a keep-alive connection to it between pushes. Read from the spec alone.
/// A receiver behind a load balancer is planned with the balancer's other targets: the balancer spreads the load over
/// all of them, so a conn_limit changed on one alone would measure a mix the operator would never deploy.
/// </summary>
public sealed class ReceiverTopology
{
    private ReceiverTopology(ReceiverSpec receiver, IReadOnlyList<string> instances, IReadOnlySet<WriterEndpoint> intoReceiver,
        IReadOnlySet<WriterEndpoint> firstHop, IReadOnlyList<string> balancers, bool behindL7)
    {
        Receiver = receiver;
        Instances = instances;
        IntoReceiver = intoReceiver;
        FirstHop = firstHop;
        Balancers = balancers;
        BehindL7 = behindL7;
    }

    public ReceiverSpec Receiver { get; }

    /// <summary>
    /// The receivers planned together: the targets of the balancer in front of <see cref="Receiver"/> (which all share
    /// its settings), or the receiver alone. A sweep point sets the conn_limit of each.
    /// </summary>
    public IReadOnlyList<string> Instances { get; }

    /// <summary>Endpoints whose requests arrive at the receiver: their attempts are its arrivals.</summary>
    public IReadOnlySet<WriterEndpoint> IntoReceiver { get; }

    /// <summary>Endpoints of the writers sources push to whose pushes pass through the receiver: the SLO's pushes.</summary>
    public IReadOnlySet<WriterEndpoint> FirstHop { get; }

    /// <summary>Load balancers that list the receiver as a target.</summary>
    public IReadOnlyList<string> Balancers { get; }

    /// <summary>An L7 balancer terminates the clients' connections, so only its own pool reaches the receiver.</summary>
    public bool BehindL7 { get; }

    /// <summary>The topology of <paramref name="receiverName"/>, or an error naming what is wrong with it.</summary>
    public static ReceiverTopology? TryRead(PipelineSpec spec, string receiverName, out string error)
    {
        var components = spec.Components.ToDictionary(c => c.Name, StringComparer.Ordinal);
        if (!components.TryGetValue(receiverName, out var found) || found is not ReceiverSpec receiver)
        {
            var receivers = components.Values.OfType<ReceiverSpec>().Select(r => r.Name).ToList();
            error = found is null
                ? $"--receiver: no component named '{receiverName}' (receivers: {Names(receivers)})"
                : $"--receiver: '{receiverName}' is not a pyroscope.receive_http (receivers: {Names(receivers)})";
            return null;
        }

        var balancers = components.Values.OfType<LoadBalancerSpec>().Where(b => b.Targets.Contains(receiverName)).ToList();
        var instances = Group(receiver, balancers, components, out error);
        if (instances is null) return null;
        var into = new HashSet<WriterEndpoint>();
        var firstHop = new HashSet<WriterEndpoint>();
        var firstHopWriters = spec.Sources.Select(s => s.To).ToHashSet(StringComparer.Ordinal);
        bool behindL7 = false;
        foreach (var writer in components.Values.OfType<WriterSpec>())
        {
            foreach (var endpoint in writer.Options.Endpoints)
            {
                string target = EndpointUrl.TargetName(endpoint.Url);
                var key = new WriterEndpoint(writer.Name, endpoint.Url);
                if (ConnectsTo(target, viaL7: false) is bool l7)
                {
                    into.Add(key);
                    behindL7 |= l7;
                }
                if (firstHopWriters.Contains(writer.Name) && Reaches(target, [])) firstHop.Add(key);
            }
        }
        error = into.Count == 0 ? $"--receiver: no pyroscope.write pushes to '{receiverName}'" : "";
        if (into.Count > 0 && instances.Count > 1 && DirectlyToOne() is (string bypass, string dialled))
        {
            error = $"--receiver: {bypass} connects to '{dialled}' directly, past load balancer {balancers[0].Name}, so its targets " +
                $"({string.Join(", ", instances)}) carry unequal load and one conn_limit cannot fit them all; send it through {balancers[0].Name} " +
                "or plan the receivers in separate scenarios";
            return null;
        }
        return into.Count == 0 ? null : new ReceiverTopology(receiver, instances, into, firstHop, [.. balancers.Select(b => b.Name)], behindL7);

        // The first writer endpoint that dials one of the grouped instances by name rather than through the balancer.
        (string Writer, string Target)? DirectlyToOne() => components.Values.OfType<WriterSpec>()
            .SelectMany(w => w.Options.Endpoints.Select(e => (Writer: w.Name, Target: EndpointUrl.TargetName(e.Url))))
            .Where(e => instances.Contains(e.Target))
            .Select(e => ((string, string)?)e)
            .FirstOrDefault();

        // Null when a connection to `name` never lands on the receiver or its group; else whether an L7 balancer stood between.
        bool? ConnectsTo(string name, bool viaL7)
        {
            if (instances.Contains(name)) return viaL7;
            if (components.GetValueOrDefault(name) is not LoadBalancerSpec balancer) return null;
            bool? result = null;
            foreach (string next in balancer.Targets)
            {
                if (ConnectsTo(next, viaL7 || balancer.Layer == LoadBalancerLayer.L7) is bool l7) result = (result ?? false) || l7;
            }
            return result;
        }

        // Whether a push to `name` passes through the receiver, here or further downstream.
        bool Reaches(string name, HashSet<string> seen)
        {
            if (name == receiverName) return true;
            if (!seen.Add(name)) return false;
            return components.GetValueOrDefault(name) switch
            {
                LoadBalancerSpec balancer => balancer.Targets.Any(t => Reaches(t, seen)),
                ReceiverSpec other => other.ForwardTo.Any(w => components.GetValueOrDefault(w) is WriterSpec forward
                    && forward.Options.Endpoints.Any(e => Reaches(EndpointUrl.TargetName(e.Url), seen))),
                _ => false,
            };
        }
    }

    /// <summary>
    /// How the receiver's first-hop clients occupy its slots. An agent with its own writer (<c>writer: per_agent</c>)
    /// and keep-alives on holds its connection, and so a conn_limit slot, for good when it pushes more often than the
    /// idle timeouts (the server's server_idle_timeout, the client's idle_conn_timeout) close it. One that pushes less
    /// often holds a slot for each push's request and then the idle timeout, until the connection is closed. A shared
    /// writer's pool (about as many connections as it has requests at once), keep-alives turned off and a receiver
    /// behind an L7 balancer (which terminates the clients' connections) hold slots only while requests run.
    /// </summary>
    public ConnectionHolding Holding(PipelineSpec spec)
    {
        var writers = spec.Components.OfType<WriterSpec>().ToDictionary(w => w.Name, StringComparer.Ordinal);
        long clients = 0;
        double holdingRate = 0, otherRate = 0, otherIdleSeconds = 0;
        foreach (var source in spec.Sources)
        {
            if (!writers.TryGetValue(source.To, out var writer)) continue;
            double rate = source.Count / source.PushInterval.TotalSeconds;
            foreach (var endpoint in writer.Options.Endpoints)
            {
                if (!IntoReceiver.Contains(new WriterEndpoint(writer.Name, endpoint.Url))) continue;
                var transport = endpoint.Transport;
                bool pooledAlone = source.Writer == WriterSharing.PerAgent && !BehindL7 && !transport.DisableKeepAlives;
                var idle = Min(ServerIdle(Receiver.Http), transport.IdleConnTimeout);
                if (pooledAlone && source.PushInterval < idle)
                {
                    clients += source.Count;
                    holdingRate += rate;
                }
                else
                {
                    otherRate += rate;
                    if (pooledAlone) otherIdleSeconds += rate * idle.TotalSeconds;
                }
            }
        }
        return new ConnectionHolding(clients, holdingRate, otherRate, otherRate == 0 ? 0 : otherIdleSeconds / otherRate);
    }

    /// <summary>
    /// The receivers planned with <paramref name="receiver"/>: every target of the one balancer in front of it, when
    /// they are all receivers set up alike (conn_limit aside); null, with the reason, when they cannot be planned as
    /// one group.
    /// </summary>
    private static IReadOnlyList<string>? Group(ReceiverSpec receiver, IReadOnlyList<LoadBalancerSpec> balancers,
        IReadOnlyDictionary<string, ComponentSpec> components, out string error)
    {
        error = "";
        if (balancers.Count == 0) return [receiver.Name];
        if (balancers.Count > 1)
        {
            error = $"--receiver: '{receiver.Name}' is a target of several load balancers ({string.Join(", ", balancers.Select(b => b.Name))}), " +
                "so no single group of receivers shares its load; give each balancer its own receivers";
            return null;
        }
        var balancer = balancers[0];
        foreach (string target in balancer.Targets)
        {
            if (components.GetValueOrDefault(target) is not ReceiverSpec sibling)
            {
                error = $"--receiver: load balancer {balancer.Name} in front of '{receiver.Name}' also targets '{target}', which is not a " +
                    "pyroscope.receive_http, so the share of load each receiver gets is unknown";
                return null;
            }
            if (Difference(receiver, sibling) is string field)
            {
                error = $"--receiver: '{receiver.Name}' and '{target}' behind load balancer {balancer.Name} differ in {field}; the planner varies " +
                    "the conn_limit of every target together, so set them up alike first";
                return null;
            }
        }
        return balancer.Targets;
    }

    /// <summary>The first setting other than name and conn_limit in which two receivers differ, or null.</summary>
    private static string? Difference(ReceiverSpec a, ReceiverSpec b)
    {
        if (a.Http with { ConnLimit = 0 } != b.Http with { ConnLimit = 0 }) return "their http settings";
        if (a.AcceptBacklog != b.AcceptBacklog) return "accept_backlog";
        if (!a.ForwardTo.SequenceEqual(b.ForwardTo, StringComparer.Ordinal)) return "forward_to";
        if (a.KeepAlive != b.KeepAlive) return "keep_alive";
        if (!Equals(a.HandlerTime, b.HandlerTime)) return "handler_time";
        return null;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>How long the receiver keeps an idle connection: Go's idle timeout, else its read timeout, else for ever (Core's GoServerTimeouts).</summary>
    private static TimeSpan ServerIdle(ReceiveHttpOptions http) =>
        GoServerTimeouts.From(http).EffectiveIdle is var idle && idle > TimeSpan.Zero ? idle : TimeSpan.MaxValue;

    private static string Names(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
}

/// <summary>
/// The keep-alive view of a receiver's first-hop clients: <see cref="Clients"/> agents hold a connection each for
/// good, pushing <see cref="HoldingPushRate"/> per second between them; the others push <see cref="OtherPushRate"/>
/// per second, and each of their connections stays accepted <see cref="OtherIdleHoldSeconds"/> (rate-weighted mean)
/// after its request before an idle timeout closes it.
/// </summary>
public readonly record struct ConnectionHolding(long Clients, double HoldingPushRate, double OtherPushRate, double OtherIdleHoldSeconds)
{
    /// <summary>The share of first-hop requests that need a slot of their own; 1 when no source pushes to the receiver directly.</summary>
    public double LoadDrivenShare => HoldingPushRate + OtherPushRate == 0 ? 1 : OtherPushRate / (HoldingPushRate + OtherPushRate);
}
