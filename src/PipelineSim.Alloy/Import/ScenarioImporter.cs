using PipelineSim.Core.Retry;
using System.Globalization;
using System.Text;
using PipelineSim.Alloy.Config;
using PipelineSim.Alloy.Lint;
using PipelineSim.Alloy.Syntax;
using PipelineSim.Core.Options;
using PipelineSim.Core.Time;

namespace PipelineSim.Alloy.Import;

/// <summary>The scenario YAML an import produced, or why there is none.</summary>
public sealed record ImportResult(string? Yaml, IReadOnlyList<string> Problems);

/// <summary>
/// Turns the pipeline read from Alloy files into scenario YAML (the schema of scenarios/*.yaml, read by
/// PipelineSim.Scenarios): one source per Alloy source and writer it feeds, every writer with its endpoints and their
/// timeouts and backoff, every receiver with its <c>http {}</c> settings and forward_to, and one backend per external
/// URL. Each part carries a comment with the Alloy lines it came from; the file starts with the assumptions to check.
/// Settings left at Alloy's defaults are written out too, so the scenario says what will run.
/// </summary>
public static class ScenarioImporter
{
    public static ImportResult Import(PyroscopePipeline pipeline, ImportOptions options)
    {
        var problems = new List<string>();
        problems.AddRange(pipeline.Config.Errors.Select(e => e.ToString()));
        problems.AddRange(pipeline.Problems.Where(p => p.Severity == Severity.Error).Select(p => p.ToString()));
        if (problems.Count > 0) return new ImportResult(null, problems);

        var sources = pipeline.Sources.SelectMany(s => s.ForwardTo.Where(w => w.Endpoints.Count > 0).Distinct().Select(w => (Source: s, Writer: w))).ToList();
        if (sources.Count == 0)
        {
            return new ImportResult(null, ["no pyroscope.ebpf, pyroscope.scrape or pyroscope.java source forwards to a pyroscope.write in these files: " +
                "give the agents' config too (import AGENTS.alloy RECEIVERS.alloy)"]);
        }

        // A receiver that forwards to no writer with an endpoint has nothing to model behind it: it is left out, and
        // writers posting to it post to a backend in its place.
        var receivers = pipeline.Receivers.Where(r => r.ForwardTo.Any(w => w.Endpoints.Count > 0)).ToList();
        var names = new Names(pipeline, receivers);
        var backends = new SortedDictionary<string, string>(StringComparer.Ordinal); // name → url it stands for
        var targets = new Dictionary<EndpointModel, (string Name, string Url)>();
        foreach (var endpoint in pipeline.Endpoints)
        {
            if (endpoint.Target is { } receiver && receivers.Contains(receiver))
            {
                targets[endpoint] = (names.Of(receiver.Component), $"http://{names.Of(receiver.Component)}:{receiver.Options.ListenPort}");
                continue;
            }
            string backend = names.Backend(endpoint);
            backends.TryAdd(backend, endpoint.Url?.ToString() ?? "(unknown url)");
            string url = endpoint.Url is { } u ? $"{u.Scheme}://{backend}:{u.Port}{u.AbsolutePath.TrimEnd('/')}" : $"http://{backend}";
            targets[endpoint] = (backend, url);
        }

        var yaml = new StringBuilder();
        Header(yaml, pipeline, options, sources.Count);
        yaml.AppendLine($"name: {options.Name}");
        yaml.AppendLine($"description: Imported from {string.Join(", ", pipeline.Config.Files.Select(f => Path.GetFileName(f.Name)))} by pipelinesim import.");
        yaml.AppendLine($"duration: {GoDuration.Format(options.Duration)}");
        yaml.AppendLine($"seed: {options.Seed}");

        yaml.AppendLine("sources:");
        foreach (var (source, writer) in sources)
        {
            var interval = options.PushInterval ?? source.Interval;
            string name = sources.Count(s => s.Source == source) > 1 ? $"{names.Of(source.Component)}_to_{names.Of(writer.Component)}" : names.Of(source.Component);
            yaml.AppendLine($"  # {source.Component.Title} at {source.Component.At}" +
                (source.IntervalAt is { } at ? $"; interval at {at}" : $"; {IntervalName(source.Kind)} not set: Alloy's default {GoDuration.Format(source.Interval)}"));
            foreach (var through in source.Through) yaml.AppendLine($"  # passes through {through.Title} at {through.At} (labels only: not modelled)");
            yaml.AppendLine($"  {name}:");
            yaml.AppendLine($"    count: {options.Agents} # ASSUMPTION: agents running this config");
            yaml.AppendLine($"    push_interval: {GoDuration.Format(interval)}");
            if (source.PushDeadline is { } deadline && options.PushInterval is null)
            {
                yaml.AppendLine($"    push_timeout: {GoDuration.Format(deadline)} # pyroscope.ebpf pushes with a context that ends after collect_interval");
            }
            yaml.AppendLine("    profiles_per_push: 2 # ASSUMPTION: profiles per push (targets profiled by one agent)");
            yaml.AppendLine("    profile_bytes: lognormal(60KiB, 0.5) # ASSUMPTION: compressed pprof size");
            yaml.AppendLine($"    to: {names.Of(writer.Component)}");
        }

        yaml.AppendLine("components:");
        foreach (var writer in pipeline.Writers.Where(w => w.Endpoints.Count > 0))
        {
            yaml.AppendLine($"  # {writer.Component.Title} at {writer.Component.At}");
            yaml.AppendLine($"  {names.Of(writer.Component)}:");
            yaml.AppendLine("    kind: pyroscope.write");
            yaml.AppendLine("    endpoints:");
            foreach (var endpoint in writer.Endpoints)
            {
                var o = endpoint.Options;
                yaml.AppendLine($"      # endpoint at {endpoint.At}: url {(endpoint.Url is null ? "unknown" : o.Url)}");
                yaml.AppendLine($"      - url: {targets[endpoint].Url}");
                Setting(yaml, endpoint, "remote_timeout", GoDuration.Format(o.RemoteTimeout));
                Setting(yaml, endpoint, "min_backoff_period", GoDuration.Format(o.MinBackoffPeriod));
                Setting(yaml, endpoint, "max_backoff_period", GoDuration.Format(o.MaxBackoffPeriod));
                Setting(yaml, endpoint, "max_backoff_retries", o.MaxBackoffRetries.ToString(CultureInfo.InvariantCulture));
                if (endpoint.Given.ContainsKey("retry_on_http_429")) Setting(yaml, endpoint, "retry_on_http_429", o.RetryOnHttp429 ? "true" : "false");
                if (endpoint.Given.ContainsKey("enable_http2")) Setting(yaml, endpoint, "enable_http2", o.EnableHttp2 ? "true" : "false");
            }
        }
        foreach (var receiver in receivers)
        {
            var o = receiver.Options;
            yaml.AppendLine($"  # {receiver.Component.Title} at {receiver.Component.At}, listening on {(o.ListenAddress.Length == 0 ? "all interfaces" : o.ListenAddress)}:{o.ListenPort}");
            foreach (var through in receiver.Through) yaml.AppendLine($"  # forwards through {through.Title} at {through.At} (labels only: not modelled)");
            yaml.AppendLine($"  {names.Of(receiver.Component)}:");
            yaml.AppendLine("    kind: pyroscope.receive_http");
            ReceiverSetting(yaml, receiver, "conn_limit", o.ConnLimit.ToString(CultureInfo.InvariantCulture));
            ReceiverSetting(yaml, receiver, "server_read_timeout", GoDuration.Format(o.ServerReadTimeout));
            ReceiverSetting(yaml, receiver, "server_write_timeout", GoDuration.Format(o.ServerWriteTimeout));
            ReceiverSetting(yaml, receiver, "server_idle_timeout", GoDuration.Format(o.ServerIdleTimeout));
            if (o.Http2Enabled) yaml.AppendLine("    http2: { enabled: true }");
            var forward = receiver.ForwardTo.Where(w => w.Endpoints.Count > 0).Distinct().Select(w => names.Of(w.Component));
            yaml.AppendLine($"    forward_to: [{string.Join(", ", forward)}]");
        }
        foreach (var (backend, url) in backends)
        {
            yaml.AppendLine($"  # the server at {url}, outside these files");
            yaml.AppendLine($"  {backend}:");
            yaml.AppendLine("    kind: backend");
            yaml.AppendLine($"    latency: \"{options.Latency.Replace("\"", "\\\"")}\" # ASSUMPTION: backend latency");
        }

        var links = pipeline.Endpoints.Where(e => e.Writer.Endpoints.Count > 0).Select(e => (From: names.Of(e.Writer.Component), To: targets[e].Name, Endpoint: e))
            .DistinctBy(l => (l.From, l.To)).ToList();
        var broken = options.DropIdleFlowsAt is null
            ? []
            : links.Where(l => backends.ContainsKey(l.To) && l.Endpoint.Writer.FedBy.Any(f => f.Kind == Kinds.ReceiveHttp)).ToList();
        yaml.AppendLine("links: # ASSUMPTION: round-trip times");
        foreach (var link in links)
        {
            string rtt = backends.ContainsKey(link.To) ? "20ms" : "2ms";
            yaml.AppendLine($"  - {{ from: {link.From}, to: {link.To}, rtt: {rtt} }}");
        }
        if (broken.Count > 0)
        {
            yaml.AppendLine("faults: # what-if: a NAT or load balancer failover silently drops every idle flow behind the receiver");
            foreach (var link in broken)
            {
                yaml.AppendLine($"  - {{ at: {GoDuration.Format(options.DropIdleFlowsAt!.Value)}, kind: drop-idle-flows, link: {link.From}->{link.To}, mode: silent }}");
            }
            yaml.AppendLine("expect: # what lint predicts for the timeout chain");
            foreach (var link in broken)
            {
                var chain = pipeline.Endpoints.Where(u => u.Target is { } r && r.ForwardTo.Contains(link.Endpoint.Writer)).ToList();
                bool oneAttempt = chain.Any(u => AttemptBudget.FullAttemptsWhenHanging(link.Endpoint.Options, u.Options.RemoteTimeout) <= 1);
                yaml.AppendLine($"  - {link.From}.pushes.failed.deadline_exceeded > 0");
                if (oneAttempt) yaml.AppendLine($"  - {link.From}.attempts.max == 1");
            }
        }
        return new ImportResult(yaml.ToString(), []);
    }

    private static string IntervalName(string kind) => kind switch
    {
        Kinds.Ebpf => "collect_interval",
        Kinds.Java => "profiling_config.interval",
        _ => "scrape_interval",
    };

    private static void Header(StringBuilder yaml, PyroscopePipeline pipeline, ImportOptions options, int sources)
    {
        yaml.AppendLine("# Scenario imported from Alloy configuration by `pipelinesim import`:");
        foreach (var file in pipeline.Config.Files) yaml.AppendLine($"#   {file.Name}");
        yaml.AppendLine("# Check the lines marked ASSUMPTION: the fleet size, profile sizes, backend latency and network are not in the");
        yaml.AppendLine("# Alloy files. Settings Alloy leaves at their defaults are written out with \"(Alloy default)\".");
        foreach (var assumption in pipeline.Assumptions) yaml.AppendLine($"# ASSUMPTION at {assumption.At}: {assumption.Text}");
        foreach (var note in pipeline.NotModelled) yaml.AppendLine($"# NOT MODELLED at {note.At}: {note.ComponentId}: {note.What}");
        foreach (var incomplete in pipeline.Incomplete) yaml.AppendLine($"# INCOMPLETE at {incomplete.At}: {incomplete.Component.Title}: {incomplete.Reason}");
        yaml.AppendLine($"# {sources} source(s) of {options.Agents} agents each.");
    }

    private static void Setting(StringBuilder yaml, EndpointModel endpoint, string key, string value) =>
        yaml.AppendLine($"        {key}: {value} # {(endpoint.Given.TryGetValue(key, out var at) ? $"at {at}" : "(Alloy default)")}");

    private static void ReceiverSetting(StringBuilder yaml, ReceiverModel receiver, string key, string value) =>
        yaml.AppendLine($"    {key}: {value} # {(receiver.Given.TryGetValue(key, out var at) ? $"at {at}" : "(Alloy default)")}");

    /// <summary>Scenario names for components: the Alloy label when it is unique and a valid name, else kind_label.</summary>
    private sealed class Names
    {
        private readonly Dictionary<ComponentNode, string> _names = [];
        private readonly Dictionary<EndpointModel, string> _backends = [];
        private readonly HashSet<string> _used = new(StringComparer.Ordinal);

        public Names(PyroscopePipeline pipeline, IReadOnlyList<ReceiverModel> modelled)
        {
            var nodes = pipeline.Sources.Select(s => s.Component)
                .Concat(pipeline.Writers.Select(w => w.Component))
                .Concat(pipeline.Receivers.Select(r => r.Component)).ToList();
            var labels = nodes.GroupBy(n => Clean(n.Label, "c_")).ToDictionary(g => g.Key, g => g.Count());
            foreach (var node in nodes)
            {
                string label = Clean(node.Label, "c_");
                string name = labels[label] == 1 ? label : $"{Short(node.Kind)}_{label}";
                _names[node] = Unique(name);
            }
            foreach (var group in pipeline.Endpoints.Where(e => e.Target is null || !modelled.Contains(e.Target)).GroupBy(e => e.Url is null ? "unknown" : $"{e.Url.Host}:{e.Url.Port}"))
            {
                var first = group.First();
                string host = first.Url is null ? "unknown_url" : Clean(first.Url.Host, "backend_");
                string name = Unique(host);
                foreach (var endpoint in group) _backends[endpoint] = name;
            }
        }

        public string Of(ComponentNode node) => _names[node];

        public string Backend(EndpointModel endpoint) => _backends[endpoint];

        private string Unique(string name)
        {
            string candidate = name;
            for (int i = 2; !_used.Add(candidate); i++) candidate = $"{name}_{i}";
            return candidate;
        }

        private static string Short(string kind) => kind switch
        {
            Kinds.ReceiveHttp => "receiver",
            _ => kind[(kind.LastIndexOf('.') + 1)..],
        };

        /// <summary>Letters, digits and underscores, not starting with a digit (<paramref name="digitPrefix"/> is put first).</summary>
        private static string Clean(string text, string digitPrefix)
        {
            var clean = new string(text.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray());
            if (clean.Length == 0) return "component";
            return char.IsAsciiDigit(clean[0]) ? digitPrefix + clean : clean;
        }
    }
}
