using PipelineSim.Core.Retry;
using PipelineSim.Spec;

namespace PipelineSim.Analysis.Planning;

/// <summary>
/// The troubleshooting guide's timeout chain in a scenario: a first-hop <c>pyroscope.write</c> endpoint (w1) whose
/// pushes reach a <c>pyroscope.receive_http</c> that forwards them to another writer (w2). One deadline travels the
/// chain, so w2's attempts must fit inside w1's <c>remote_timeout</c>; the guide's fixes are raising w1's
/// (option A, 30s) and lowering w2's (option B, 3s).
/// </summary>
public sealed record TimeoutChain(string Upstream, int UpstreamEndpoint, string Receiver, string Downstream, int DownstreamEndpoint)
{
    public static readonly TimeSpan GuideUpstreamTimeout = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan GuideDownstreamTimeout = TimeSpan.FromSeconds(3);

    public string UpstreamTimeoutPath => $"components.{Upstream}.endpoints[{UpstreamEndpoint}].remote_timeout";

    public string DownstreamTimeoutPath => $"components.{Downstream}.endpoints[{DownstreamEndpoint}].remote_timeout";

    /// <summary>The first chain of <paramref name="spec"/> in component order, or null with the reason.</summary>
    public static TimeoutChain? Find(PipelineSpec spec, out string reason)
    {
        var components = spec.Components.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var firstHop = spec.Sources.Select(s => s.To).ToHashSet(StringComparer.Ordinal);
        foreach (var writer in spec.Components.OfType<WriterSpec>().Where(w => firstHop.Contains(w.Name)))
        {
            for (int i = 0; i < writer.Options.Endpoints.Count; i++)
            {
                if (ReceiverBehind(EndpointUrl.TargetName(writer.Options.Endpoints[i].Url), components, []) is not { } receiver) continue;
                var downstream = receiver.ForwardTo.Select(components.GetValueOrDefault).OfType<WriterSpec>().FirstOrDefault(w => w.Options.Endpoints.Count > 0);
                if (downstream is null) continue;
                reason = "";
                return new TimeoutChain(writer.Name, i, receiver.Name, downstream.Name, 0);
            }
        }
        reason = "no timeout chain: no writer that sources push to reaches a pyroscope.receive_http that forwards to another pyroscope.write";
        return null;
    }

    /// <summary>The receiver a connection to <paramref name="name"/> reaches, through load balancers (their first receiver).</summary>
    private static ReceiverSpec? ReceiverBehind(string name, IReadOnlyDictionary<string, ComponentSpec> components, HashSet<string> seen)
    {
        if (!seen.Add(name)) return null;
        return components.GetValueOrDefault(name) switch
        {
            ReceiverSpec receiver => receiver,
            LoadBalancerSpec balancer => balancer.Targets.Select(t => ReceiverBehind(t, components, seen)).FirstOrDefault(r => r is not null),
            _ => null,
        };
    }

    public TimeSpan UpstreamTimeout(PipelineSpec spec) => Endpoint(spec, Upstream, UpstreamEndpoint).RemoteTimeout;

    public Core.Options.WriteEndpointOptions DownstreamOptions(PipelineSpec spec) => Endpoint(spec, Downstream, DownstreamEndpoint);

    private static Core.Options.WriteEndpointOptions Endpoint(PipelineSpec spec, string writer, int endpoint) =>
        spec.Components.OfType<WriterSpec>().Single(w => w.Name == writer).Options.Endpoints[endpoint];
}

/// <summary>One setting of the knobs seen as a timeout chain: the guide's option it is, its budget, and what ran.</summary>
public sealed record ChainRow
{
    public required int Setting { get; init; }

    /// <summary>"as is", "A: raise w1", "B: lower w2", "A and B", or "" for another setting.</summary>
    public required string Option { get; init; }

    public required TimeSpan UpstreamTimeout { get; init; }

    public required TimeSpan DownstreamTimeout { get; init; }

    public required int DownstreamRetries { get; init; }

    /// <summary>Downstream attempts that get their whole timeout inside the upstream deadline when each one hangs.</summary>
    public required int Budget { get; init; }

    public required PointSummary Point { get; init; }

    /// <summary>Mean retries per judged first-hop push, and per forwarded push.</summary>
    public required double UpstreamRetriesPerPush { get; init; }

    public required double DownstreamRetriesPerPush { get; init; }

    public required long ForwardedFailed { get; init; }

    /// <summary>The delivered ratio of the pushes pooled over the replications; NaN when none was judged.</summary>
    public double Delivered => Point.Judged == 0 ? double.NaN : (double)Point.Runs.Sum(r => r.Delivered) / Point.Judged;

    /// <summary>The replications' mean p99 latency in seconds (those that judged a push); NaN when none did.</summary>
    public double LatencyP99 => Point.Runs.Select(r => r.LatencyP99).Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Average();

    /// <summary>Why the simulation and the arithmetic tell different stories; null when they agree.</summary>
    public string? Disagreement { get; init; }
}

/// <summary>
/// The chain section of a plan: the guide's options beside every other setting, and the arithmetic beside the runs:
/// for the scenario as it is, the smallest upstream timeout that leaves the downstream one retry when an attempt
/// hangs (<see cref="RaiseUpstreamTo"/>), and the largest downstream timeout that does (<see cref="LowerDownstreamTo"/>).
/// </summary>
public sealed record ChainReport(TimeoutChain Chain, IReadOnlyList<ChainRow> Rows, TimeSpan RaiseUpstreamTo, TimeSpan? LowerDownstreamTo)
{
    /// <param name="asIs">The scenario as its file has it, which names the "as is" row.</param>
    /// <param name="settings">The scenario of each knob setting, in <see cref="PlanGrid.Setting"/> order.</param>
    public static ChainReport Build(TimeoutChain chain, PlanResult plan, PipelineSpec asIs, IReadOnlyList<PipelineSpec> settings)
    {
        var baseline = (Up: chain.UpstreamTimeout(asIs), Down: chain.DownstreamOptions(asIs).RemoteTimeout);
        var rows = new List<ChainRow>();
        foreach (var group in plan.Groups)
        {
            // The point a group is judged by: its smallest sufficient conn_limit, else its largest (the best it did).
            var point = group.Sufficient ?? group.Points[^1];
            var spec = settings[group.Setting];
            var up = chain.UpstreamTimeout(spec);
            var down = chain.DownstreamOptions(spec);
            int budget = AttemptBudget.FullAttemptsWhenHanging(down, up);
            var runs = point.Runs;
            double judged = runs.Sum(r => r.Judged), forwarded = runs.Sum(r => r.Forwarded);
            var row = new ChainRow
            {
                Setting = group.Setting,
                Option = Option(up, down.RemoteTimeout, baseline, chain),
                UpstreamTimeout = up,
                DownstreamTimeout = down.RemoteTimeout,
                DownstreamRetries = down.MaxBackoffRetries,
                Budget = budget,
                Point = point,
                UpstreamRetriesPerPush = judged == 0 ? 0 : runs.Sum(r => r.FirstHopRetries) / judged,
                DownstreamRetriesPerPush = forwarded == 0 ? 0 : runs.Sum(r => r.ForwardedRetries) / forwarded,
                ForwardedFailed = runs.Sum(r => r.ForwardedFailed),
            };
            rows.Add(row with { Disagreement = Disagreement(row, chain) });
        }
        var downstream = chain.DownstreamOptions(asIs);
        return new ChainReport(chain, rows, AttemptBudget.UpstreamForOneRetry(downstream), AttemptBudget.DownstreamForOneRetry(downstream, baseline.Up));
    }

    private static string Option(TimeSpan up, TimeSpan down, (TimeSpan Up, TimeSpan Down) asIs, TimeoutChain chain)
    {
        bool raised = up == TimeoutChain.GuideUpstreamTimeout && asIs.Up != up;
        bool lowered = down == TimeoutChain.GuideDownstreamTimeout && asIs.Down != down;
        return (up == asIs.Up, down == asIs.Down, raised, lowered) switch
        {
            (true, true, _, _) => "as is",
            (_, true, true, _) => $"A: raise {chain.Upstream}",
            (true, _, _, true) => $"B: lower {chain.Downstream}",
            (_, _, true, true) => "A and B",
            _ => "",
        };
    }

    /// <summary>
    /// Where the runs and the arithmetic part ways, and why. The budget assumes that an attempt hangs for its whole
    /// timeout; the runs show what the scenario's faults actually did.
    /// </summary>
    private static string? Disagreement(ChainRow row, TimeoutChain chain)
    {
        bool met = row.Point.MeetsSlos;
        if (row.Budget < 2 && met)
        {
            return row.UpstreamRetriesPerPush > 0
                ? $"the arithmetic leaves {chain.Downstream} no retry, yet the SLOs hold: when {chain.Downstream} fails, {chain.Receiver} answers 500 and {chain.Upstream} retries the whole push, which delivers it late"
                : $"the arithmetic leaves {chain.Downstream} no retry, yet the SLOs hold: no downstream attempt hung for its whole timeout in these runs";
        }
        if (row.Budget >= 2 && !met)
        {
            return row.ForwardedFailed > 0
                ? $"a retry of {chain.Downstream} fits in {chain.Upstream}'s deadline, yet the SLOs fail: downstream pushes failed for reasons the budget does not count (the backend's latency or errors, limits, more than one hang per push)"
                : $"a retry of {chain.Downstream} fits in {chain.Upstream}'s deadline, yet the SLOs fail on the first hop itself (its latency or its own limits)";
        }
        return null;
    }
}
