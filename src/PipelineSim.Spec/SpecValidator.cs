namespace PipelineSim.Spec;

/// <summary>One thing wrong with a spec: where (a path like <c>components.w1.endpoints[0].url</c>) and what.</summary>
public sealed record SpecProblem(string Path, string Message)
{
    public override string ToString() => PrintableText.Escape($"{Path}: {Message}");
}

/// <summary>The spec cannot be run; every problem is listed.</summary>
public sealed class SpecException(IReadOnlyList<SpecProblem> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<SpecProblem> Problems { get; } = problems;
}

/// <summary>
/// Checks what the model needs of a spec: unique names, references to components of the right kind, no forwarding
/// cycles, and values in range. Paths name sources and components by name (<c>sources.agents.count</c>) and lists by
/// index (<c>links[0].rtt</c>, <c>faults[1].link</c>).
/// </summary>
public static class SpecValidator
{
    public static IReadOnlyList<SpecProblem> Validate(PipelineSpec spec)
    {
        var problems = new List<SpecProblem>();
        void Problem(string path, string message) => problems.Add(new SpecProblem(path, message));

        if (PipelineSpec.NameProblem(spec.Name) is { } nameProblem) Problem("name", nameProblem);
        if (spec.Duration <= TimeSpan.Zero) Problem("duration", "must be positive");
        if (spec.SampleStep <= TimeSpan.Zero) Problem("sample_step", "must be positive");

        var components = new Dictionary<string, ComponentSpec>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var component in spec.Components)
        {
            string path = "components." + component.Name;
            if (string.IsNullOrWhiteSpace(component.Name)) Problem("components", "a component has no name");
            else if (!names.Add(component.Name)) Problem(path, "the name is used twice");
            else components.Add(component.Name, component);
        }
        foreach (var source in spec.Sources)
        {
            string path = "sources." + source.Name;
            if (string.IsNullOrWhiteSpace(source.Name)) Problem("sources", "a source has no name");
            else if (!names.Add(source.Name)) Problem(path, "the name is used twice");
            foreach (var problem in source.Validate()) Problem(path + "." + problem.Path, problem.Message);
            RequireKind<WriterSpec>(source.To, path + ".to", "a pyroscope.write component");
        }

        long agents = spec.Sources.Sum(s => (long)Math.Max(0, s.Count));
        if (agents > SourceSpec.MaxAgents && spec.Sources.All(s => s.Count <= SourceSpec.MaxAgents))
            Problem("sources", $"hold {agents} agents together, more than the {SourceSpec.MaxAgents} a scenario may have: the model keeps every agent in memory");

        foreach (var component in components.Values)
        {
            string path = "components." + component.Name;
            switch (component)
            {
                case WriterSpec writer:
                    CheckWriter(writer, path);
                    break;
                case ReceiverSpec receiver:
                    CheckReceiver(receiver, path);
                    break;
                case BackendSpec backend:
                    CheckBackend(backend, path);
                    break;
                case LoadBalancerSpec balancer:
                    if (balancer.Targets.Count == 0) Problem(path + ".targets", "needs at least one target");
                    for (int i = 0; i < balancer.Targets.Count; i++)
                        RequireServer(balancer.Targets[i], $"{path}.targets[{i}]", allowL4: balancer.Layer == LoadBalancerLayer.L7, allowL7: false);
                    if (balancer.IdleTimeout <= TimeSpan.Zero) Problem(path + ".idle_timeout", "must be positive");
                    if (balancer.UpstreamIdleTimeout <= TimeSpan.Zero) Problem(path + ".upstream_idle_timeout", "must be positive");
                    if (balancer.RequestTimeout <= TimeSpan.Zero) Problem(path + ".request_timeout", "must be positive");
                    break;
            }
        }
        CheckCycles();

        var linkIds = new HashSet<(string, string)>();
        for (int i = 0; i < spec.Links.Count; i++)
        {
            var link = spec.Links[i];
            string path = $"links[{i}]";
            RequireAny(link.From, path + ".from");
            RequireAny(link.To, path + ".to");
            if (!linkIds.Add((link.From, link.To)) || !linkIds.Add((link.To, link.From)))
                Problem(path, $"the link between {link.From} and {link.To} is described twice");
            if (link.Rtt < TimeSpan.Zero) Problem(path + ".rtt", "must not be negative");
            if (link.Middlebox is { } middlebox && middlebox.IdleTimeout <= TimeSpan.Zero)
                Problem(path + ".middlebox.idle_timeout", "must be positive");
        }

        for (int i = 0; i < spec.Faults.Count; i++) CheckFault(spec.Faults[i], $"faults[{i}]");

        var network = spec.Network;
        if (network.DefaultRtt < TimeSpan.Zero) Problem("network.default_rtt", "must not be negative");
        if (network.InitialSynRto <= TimeSpan.Zero) Problem("network.initial_syn_rto", "must be positive");
        if (network.SynRetries < 0) Problem("network.syn_retries", "must not be negative");
        if (network.InitialRto <= TimeSpan.Zero) Problem("network.initial_rto", "must be positive");
        if (network.MaxRto < network.InitialRto) Problem("network.max_rto", "must be at least initial_rto");
        if (network.DataRetries < 0) Problem("network.data_retries", "must not be negative");
        return problems;

        void CheckWriter(WriterSpec writer, string path)
        {
            foreach (var problem in writer.Validate()) Problem(path + "." + problem.Path, problem.Message);
            var endpoints = writer.Options.Endpoints;
            for (int i = 0; i < endpoints.Count; i++)
                RequireServer(EndpointUrl.TargetName(endpoints[i].Url), $"{path}.endpoints[{i}].url", allowL4: true, allowL7: true);
        }

        void CheckReceiver(ReceiverSpec receiver, string path)
        {
            foreach (var problem in receiver.Validate()) Problem(path + "." + problem.Path, problem.Message);
            for (int i = 0; i < receiver.ForwardTo.Count; i++)
                RequireKind<WriterSpec>(receiver.ForwardTo[i], $"{path}.forward_to[{i}]", "a pyroscope.write component");
        }

        void CheckBackend(BackendSpec backend, string path)
        {
            foreach (var problem in backend.Validate()) Problem(path + "." + problem.Path, problem.Message);
        }

        void CheckFault(FaultSpec fault, string path)
        {
            if (fault is ScheduledFaultSpec scheduled && scheduled.At < TimeSpan.Zero) Problem(path + ".at", "must not be negative");
            switch (fault)
            {
                case DropIdleFlowsFault drop:
                    RequireLink(drop.Link, path + ".link");
                    break;
                case PartitionFault partition:
                    RequireLink(partition.Link, path + ".link");
                    if (partition.Duration <= TimeSpan.Zero) Problem(path + ".duration", "must be positive");
                    break;
                case BackendOutageFault outage:
                    RequireKind<BackendSpec>(outage.Backend, path + ".backend", "a backend");
                    if (outage.Duration <= TimeSpan.Zero) Problem(path + ".duration", "must be positive");
                    break;
                case RestartFault restart:
                    if (!components.TryGetValue(restart.Component, out var target) || target is WriterSpec)
                        Problem(path + ".component", $"'{restart.Component}' is not a receiver, backend or load balancer");
                    if (restart.Downtime < TimeSpan.Zero) Problem(path + ".downtime", "must not be negative");
                    break;
                case RandomLinkBreaksFault breaks:
                    RequireLink(breaks.Link, path + ".link");
                    if (!(breaks.RatePerConnectionHour >= 0)) Problem(path + ".rate", "must not be negative");
                    break;
            }
        }

        void RequireKind<T>(string name, string path, string what) where T : ComponentSpec
        {
            if (!components.TryGetValue(name, out var found)) Problem(path, $"no component named '{name}'");
            else if (found is not T) Problem(path, $"'{name}' is not {what}");
        }

        void RequireServer(string name, string path, bool allowL4, bool allowL7)
        {
            if (!components.TryGetValue(name, out var found)) Problem(path, $"no component named '{name}'");
            else if (found is WriterSpec) Problem(path, $"'{name}' is a pyroscope.write; it has no server to push to");
            else if (found is LoadBalancerSpec balancer && !(balancer.Layer == LoadBalancerLayer.L4 ? allowL4 : allowL7))
                Problem(path, $"'{name}' is an {balancer.Layer} load balancer, which cannot be a target here");
        }

        void RequireAny(string name, string path)
        {
            if (!names.Contains(name)) Problem(path, $"no component named '{name}'");
        }

        void RequireLink(string id, string path)
        {
            int arrow = id.IndexOf("->", StringComparison.Ordinal);
            if (arrow < 0)
            {
                Problem(path, $"'{id}' is not a link id (from->to)");
                return;
            }
            RequireAny(id[..arrow].Trim(), path);
            RequireAny(id[(arrow + 2)..].Trim(), path);
        }

        // writer -> receiver (through balancers) -> forward_to writer ...: a push must not come back to its writer.
        void CheckCycles()
        {
            var state = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var writer in components.Values.OfType<WriterSpec>()) Visit(writer.Name);

            void Visit(string writerName)
            {
                state.TryGetValue(writerName, out int mark);
                if (mark == 2) return;
                if (mark == 1)
                {
                    Problem("components." + writerName, "forwarding loops back to this writer");
                    return;
                }
                state[writerName] = 1;
                foreach (var next in DownstreamWriters(writerName)) Visit(next);
                state[writerName] = 2;
            }
        }

        IEnumerable<string> DownstreamWriters(string writerName)
        {
            if (components.GetValueOrDefault(writerName) is not WriterSpec writer) yield break;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>(writer.Options.Endpoints.Select(e => EndpointUrl.TargetName(e.Url)));
            while (pending.TryPop(out var name))
            {
                if (!seen.Add(name)) continue;
                switch (components.GetValueOrDefault(name))
                {
                    case ReceiverSpec receiver:
                        foreach (var forward in receiver.ForwardTo) yield return forward;
                        break;
                    case LoadBalancerSpec balancer:
                        foreach (var target in balancer.Targets) pending.Push(target);
                        break;
                }
            }
        }
    }
}
