using PipelineSim.Core.Retry;
using System.Globalization;
using PipelineSim.Alloy.Config;
using PipelineSim.Alloy.Syntax;
using PipelineSim.Core.Options;
using PipelineSim.Core.Time;

namespace PipelineSim.Alloy.Lint;

/// <summary>
/// Static findings about a profile pipeline read from Alloy files: the timeout chain of Alloy's Pyroscope
/// troubleshooting guide with its two fixes computed, retries that cannot happen, conn_limit against the fleet, and
/// everything the files do that PipelineSim does not model. Findings come out in a stable order.
/// </summary>
public static class Linter
{
    /// <summary>receive_http's conn_limit default before v1.11.0 (defaultMaxConnLimit; raised to 16384 by PR #4185).</summary>
    public const int PreV111ConnLimit = 100;

    public static LintReport Lint(PyroscopePipeline pipeline, LintOptions options)
    {
        var files = pipeline.Config.Files.Select(f => f.Name).ToList();
        var syntax = pipeline.Config.Files.SelectMany(f => f.Errors).ToList();
        if (syntax.Count > 0) return new LintReport(files, syntax, []);

        var findings = new List<Finding>();
        foreach (var error in pipeline.Config.Errors) findings.Add(Simple("alloy-rejects", Severity.Error, error.At, error.Message));
        foreach (var problem in pipeline.Problems)
        {
            findings.Add(Simple(problem.Severity == Severity.Error ? "alloy-rejects" : "config", problem.Severity, problem.At, problem.Message));
        }
        foreach (var incomplete in pipeline.Incomplete.Where(i => !i.AlloyRejects || !pipeline.Problems.Any(p => p.At == i.At)))
        {
            findings.Add(Simple("incomplete-component", incomplete.AlloyRejects ? Severity.Error : Severity.Note, incomplete.At,
                $"{incomplete.Component.Title} is incomplete: {incomplete.Reason}"));
        }
        TimeoutChains(pipeline, findings);
        RetryBudgets(pipeline, findings);
        ConnLimits(pipeline, options, findings);
        foreach (var group in pipeline.NotModelled.GroupBy(n => n.ComponentId))
        {
            findings.Add(new Finding("not-modelled", Severity.Note, group.Select(n => n.At).ToList(),
                $"{group.Key}: PipelineSim does not model {string.Join("; ", group.Select(n => n.What).Distinct())}",
                "These settings change what is sent or how it is secured, not when pushes time out or retry; a simulation of this config leaves them out.",
                "Nothing to change; keep them in mind when comparing a simulation with production.", Finding.NoFigures));
        }
        foreach (var assumption in pipeline.Assumptions)
        {
            findings.Add(Simple("assumption", Severity.Note, assumption.At, assumption.Text));
        }
        foreach (var note in pipeline.Config.Notes) findings.Add(Simple("note", Severity.Note, note.At, note.Message));

        var ordered = findings
            .OrderBy(f => f.Severity)
            .ThenBy(f => f.At.Count == 0 ? "" : f.At[0].File, StringComparer.Ordinal)
            .ThenBy(f => f.At.Count == 0 ? 0 : f.At[0].Line)
            .ThenBy(f => f.At.Count == 0 ? 0 : f.At[0].Column)
            .ThenBy(f => f.Code, StringComparer.Ordinal)
            .ToList();
        return new LintReport(files, [], ordered);
    }

    private static Finding Simple(string code, Severity severity, SourcePosition at, string message) =>
        new(code, severity, [at], message, "", "", Finding.NoFigures);

    /// <summary>w1 → receive_http → w2: w2's attempts and backoff must fit inside the deadline w1's attempt carries.</summary>
    private static void TimeoutChains(PyroscopePipeline pipeline, List<Finding> findings)
    {
        foreach (var upstream in pipeline.Endpoints.Where(e => e.Target is not null))
        {
            var receiver = upstream.Target!;
            var cap = SourceCap(pipeline, upstream.Writer);
            var deadline = UpstreamDeadline(pipeline, upstream);
            foreach (var downstream in receiver.ForwardTo.SelectMany(w => w.Endpoints))
            {
                int full = AttemptBudget.FullAttemptsWhenHanging(downstream.Options, deadline);
                if (full > 1) continue;
                var raise = AttemptBudget.UpstreamForOneRetry(downstream.Options);
                var lower = AttemptBudget.DownstreamForOneRetry(downstream.Options, deadline);
                string w1 = upstream.Writer.Component.Title, w2 = downstream.Writer.Component.Title;
                string raiseText = $"(1) raise {w1}'s remote_timeout to {Format(raise)} or more";
                if (raise > receiver.Options.ServerWriteTimeout)
                {
                    raiseText += $", and {receiver.Component.Title}'s server_write_timeout above it (now {Format(receiver.Options.ServerWriteTimeout)}), " +
                        "or its answer cannot be delivered";
                }
                if (cap is { } source && raise > source.PushDeadline!.Value)
                {
                    // The attempt deadline is min(parent, now + remote_timeout): ebpf's parent deadline caps it.
                    raiseText += $"; not enough alone here: {w1}'s pushes carry {source.Component.Title}'s deadline of one " +
                        $"collect_interval ({Format(source.PushDeadline.Value)}), so raise collect_interval to {Format(raise)} too";
                }
                string lowerText = lower is { } y
                    ? $"(2) lower {w2}'s remote_timeout to {Format(y)} or less, keeping it above your backend's latency"
                    : "(2) lowering the downstream remote_timeout cannot make room for a retry here";
                var figures = new List<KeyValuePair<string, string>>
                {
                    new("upstream_remote_timeout", Format(upstream.Options.RemoteTimeout)),
                    new("upstream_attempt_deadline", Format(deadline)),
                    new("downstream_remote_timeout", Format(downstream.Options.RemoteTimeout)),
                    new("downstream_min_backoff_period", Format(downstream.Options.MinBackoffPeriod)),
                    new("downstream_attempts_that_fit", full.ToString(CultureInfo.InvariantCulture)),
                    new("raise_upstream_remote_timeout_to", Format(raise)),
                    new("lower_downstream_remote_timeout_to", lower is { } l ? Format(l) : "none"),
                };
                findings.Add(new Finding("timeout-chain", Severity.Warning,
                    [upstream.PositionOf("remote_timeout"), receiver.Component.At, downstream.PositionOf("remote_timeout")],
                    $"timeout chain: {w1} ({Format(deadline)}) → {receiver.Component.Title} → {w2} ({Format(downstream.Options.RemoteTimeout)}): " +
                    $"only {full} downstream attempt fits inside the upstream deadline, so {w2} can never retry",
                    $"{receiver.Component.Title} hands {w1}'s deadline (Connect-Timeout-Ms) to {w2}. When {w2}'s attempt hangs on a " +
                    $"silently broken idle connection it runs until that deadline, so no backoff wait and no second attempt fits; " +
                    $"{w1}'s own attempt times out too and it re-sends the whole push.",
                    $"The troubleshooting guide's two fixes, computed for this config: {raiseText}; or {lowerText}. " +
                    "Either leaves room for one retry after the longest first backoff wait.",
                    figures));
            }
        }
    }

    /// <summary>
    /// Attempts that can never start because the deadline they run under ends first, and max_backoff_retries that
    /// allows no retry (dskit counts attempts: 1 means one attempt in total) or retries without end.
    /// </summary>
    private static void RetryBudgets(PyroscopePipeline pipeline, List<Finding> findings)
    {
        foreach (var endpoint in pipeline.Endpoints)
        {
            var o = endpoint.Options;
            var deadline = ParentDeadline(pipeline, endpoint);
            if (o.MaxBackoffRetries == 1)
            {
                findings.Add(new Finding("max-backoff-retries", Severity.Warning, [endpoint.PositionOf("max_backoff_retries")],
                    $"{endpoint.Describe()}: max_backoff_retries = 1 allows no retry",
                    "dskit's backoff counts attempts, not retries: max_backoff_retries is the total number of attempts, so 1 gives up after the first failure.",
                    "Set max_backoff_retries to at least 2 (one retry), or remove it for the default of 10.",
                    [new("max_backoff_retries", "1")]));
            }
            else if (o.MaxBackoffRetries == 0 && deadline is null)
            {
                findings.Add(new Finding("max-backoff-retries", Severity.Warning, [endpoint.PositionOf("max_backoff_retries")],
                    $"{endpoint.Describe()}: max_backoff_retries = 0 retries forever and nothing bounds the push",
                    "0 means no limit in dskit, and this writer's pushes carry no deadline (scrape and java push without one), so a push to a dead endpoint never ends.",
                    "Set max_backoff_retries to a number (the default is 10).",
                    [new("max_backoff_retries", "0")]));
            }
            if (deadline is not { } parent || o.MaxBackoffRetries == 0) continue;
            int most = AttemptBudget.MostAttemptsStarted(o, parent.Deadline);
            if (most >= o.MaxBackoffRetries) continue;
            findings.Add(new Finding("retries-unreachable", most <= 1 ? Severity.Warning : Severity.Note,
                [endpoint.PositionOf("max_backoff_retries"), parent.At],
                $"{endpoint.Describe()}: at most {most} of its {o.MaxBackoffRetries} attempts can start within the {Format(parent.Deadline)} deadline of {parent.From}",
                $"Even if every attempt failed at once, the backoff waits ({Format(o.MinBackoffPeriod)} doubling) use up the deadline after attempt {most}; " +
                "the later attempts and the backoff beyond them are configured but never happen.",
                most <= 1
                    ? $"Lower min_backoff_period below {Format(parent.Deadline)} or give the push a longer deadline."
                    : $"Nothing is broken; max_backoff_retries above {most} has no effect under this deadline.",
                [new("deadline", Format(parent.Deadline)), new("attempts_possible", most.ToString(CultureInfo.InvariantCulture)),
                 new("max_backoff_retries", o.MaxBackoffRetries.ToString(CultureInfo.InvariantCulture))]));
        }
    }

    private sealed record ParentDeadlineInfo(TimeSpan Deadline, SourcePosition At, string From);

    /// <summary>The shortest deadline a writer's pushes arrive with: pyroscope.ebpf's collect_interval, or the
    /// remote_timeout of an upstream writer whose receiver forwards to it.</summary>
    private static ParentDeadlineInfo? ParentDeadline(PyroscopePipeline pipeline, EndpointModel endpoint)
    {
        var candidates = new List<ParentDeadlineInfo>();
        foreach (var source in pipeline.Sources.Where(s => s.ForwardTo.Contains(endpoint.Writer) && s.PushDeadline is not null))
        {
            candidates.Add(new(source.PushDeadline!.Value, source.IntervalAt ?? source.Component.At, $"{source.Component.Title} (its collect_interval)"));
        }
        foreach (var upstream in pipeline.Endpoints.Where(u => u.Target is { } r && r.ForwardTo.Contains(endpoint.Writer)))
        {
            candidates.Add(new(UpstreamDeadline(pipeline, upstream), upstream.PositionOf("remote_timeout"),
                $"{upstream.Writer.Component.Title}'s attempts through {upstream.Target!.Component.Title}"));
        }
        return candidates.OrderBy(c => c.Deadline).FirstOrDefault();
    }

    /// <summary>The source with the shortest push deadline feeding a writer (pyroscope.ebpf), or null.</summary>
    private static SourceModel? SourceCap(PyroscopePipeline pipeline, WriterModel writer) =>
        pipeline.Sources.Where(s => s.ForwardTo.Contains(writer) && s.PushDeadline is not null).MinBy(s => s.PushDeadline);

    /// <summary>The deadline an upstream endpoint's first attempt carries across the receiver (Connect-Timeout-Ms):
    /// min(the push's own deadline, remote_timeout), the rule of PushLoop.</summary>
    private static TimeSpan UpstreamDeadline(PyroscopePipeline pipeline, EndpointModel upstream) =>
        SourceCap(pipeline, upstream.Writer)?.PushDeadline is { } cap && cap < upstream.Options.RemoteTimeout
            ? cap
            : upstream.Options.RemoteTimeout;

    /// <summary>
    /// Connections each receiver holds: one per agent per writer endpoint that reaches it, kept open (and holding a
    /// conn_limit slot) between pushes while the push interval is shorter than server_idle_timeout.
    /// </summary>
    private static void ConnLimits(PyroscopePipeline pipeline, LintOptions options, List<Finding> findings)
    {
        SharedHosts(pipeline, findings);
        if (options.Agents is not int agents)
        {
            if (pipeline.Receivers.Count > 0)
            {
                findings.Add(new Finding("conn-limit-unchecked", Severity.Note, pipeline.Receivers.Select(r => r.PositionOf("conn_limit")).ToList(),
                    "conn_limit is not checked: the files do not say how many agents connect",
                    "Each agent holds a keep-alive connection (and a conn_limit slot) per receiver it writes to.",
                    "Give the fleet size with --agents N.", Finding.NoFigures));
            }
            return;
        }
        foreach (var receiver in pipeline.Receivers)
        {
            var incoming = pipeline.Endpoints.Where(e => e.Target == receiver).ToList();
            double connections = 0;
            string basis;
            if (incoming.Count == 0)
            {
                connections = agents;
                basis = $"{agents} agents, one keep-alive connection each (no agents' config among the files)";
            }
            else
            {
                foreach (var endpoint in incoming)
                {
                    var interval = options.PushInterval ?? PushInterval(pipeline, endpoint.Writer) ?? TimeSpan.FromSeconds(15);
                    connections += agents * Held(interval, receiver.Options.ServerIdleTimeout);
                }
                basis = $"{agents} agents × {incoming.Count} endpoint(s) reaching it, each connection idle between pushes for less than server_idle_timeout ({Format(receiver.Options.ServerIdleTimeout)})";
            }
            int needed = (int)Math.Ceiling(connections);
            int limit = receiver.Options.ConnLimit;
            bool given = receiver.Given.ContainsKey("conn_limit");
            var at = receiver.PositionOf("conn_limit");
            var figures = new List<KeyValuePair<string, string>>
            {
                new("agents", agents.ToString(CultureInfo.InvariantCulture)),
                new("connections", needed.ToString(CultureInfo.InvariantCulture)),
                new("conn_limit", limit.ToString(CultureInfo.InvariantCulture)),
                new("conn_limit_default", ReceiveHttpOptions.DefaultConnLimit.ToString(CultureInfo.InvariantCulture)),
                new("conn_limit_default_before_v1_11", PreV111ConnLimit.ToString(CultureInfo.InvariantCulture)),
            };
            if (limit > 0 && needed > limit)
            {
                int raise = (int)Math.Ceiling(needed * 1.25);
                int replicas = (int)Math.Ceiling(needed / (double)limit);
                findings.Add(new Finding("conn-limit", Severity.Warning, [at],
                    $"{receiver.Component.Title}: the fleet holds about {needed} connections, above conn_limit {limit}{(given ? "" : " (the default)")}",
                    $"{basis}. At the limit the server stops accepting: new connections wait in the accept backlog and pushes time out with deadline_exceeded while idle connections keep their slots.",
                    $"Raise conn_limit to {raise} (25% headroom), or spread the agents over {replicas} receivers or more.",
                    [.. figures, new("raise_conn_limit_to", raise.ToString(CultureInfo.InvariantCulture)), new("receivers_needed", replicas.ToString(CultureInfo.InvariantCulture))]));
            }
            else if (!given && needed > PreV111ConnLimit)
            {
                findings.Add(new Finding("conn-limit-old-default", Severity.Note, [at],
                    $"{receiver.Component.Title}: relies on the default conn_limit {limit}; Alloy before v1.11.0 defaulted to {PreV111ConnLimit}, below the {needed} connections this fleet holds",
                    "The default was raised from 100 to 16384 in v1.11.0 (grafana/alloy#3918); an older Alloy refuses connections beyond 100.",
                    $"On Alloy older than v1.11.0 set conn_limit to at least {needed}.", figures));
            }
        }
    }

    /// <summary>Fraction of the time an agent's connection is open: always while pushes come more often than the
    /// server closes idle connections, else the idle timeout out of each interval.</summary>
    private static double Held(TimeSpan interval, TimeSpan idleTimeout) =>
        interval <= idleTimeout ? 1 : Math.Min(1, idleTimeout / interval);

    private static TimeSpan? PushInterval(PyroscopePipeline pipeline, WriterModel writer)
    {
        var intervals = pipeline.Sources.Where(s => s.ForwardTo.Contains(writer)).Select(s => s.Interval).ToList();
        return intervals.Count == 0 ? null : intervals.Min();
    }

    /// <summary>Receivers in one file run in one Alloy process on one host: their connections add up there.</summary>
    private static void SharedHosts(PyroscopePipeline pipeline, List<Finding> findings)
    {
        foreach (var group in pipeline.Receivers.GroupBy(r => r.Component.File).Where(g => g.Count() > 1))
        {
            var receivers = group.ToList();
            foreach (var port in receivers.GroupBy(r => r.Options.ListenPort).Where(p => p.Count() > 1))
            {
                findings.Add(new Finding("listen-port-conflict", Severity.Error, port.Select(r => r.PositionOf("listen_port")).ToList(),
                    $"{string.Join(" and ", port.Select(r => r.Component.Title))} listen on the same port {port.Key}",
                    "Two servers in one Alloy process cannot bind one port: the second fails to start.",
                    "Give each receiver its own listen_port.", Finding.NoFigures));
            }
            findings.Add(new Finding("receivers-share-host", Severity.Note, receivers.Select(r => r.Component.At).ToList(),
                $"{receivers.Count} receivers run in one Alloy process ({group.Key}): {string.Join(", ", receivers.Select(r => r.Component.Title))}",
                "Each has its own conn_limit, but every connection counts against the host's file descriptors and CPU; an agent that writes to several of them holds one connection to each.",
                "Size the host for the sum of their conn_limits.",
                [new("total_conn_limit", receivers.Sum(r => (long)r.Options.ConnLimit).ToString(CultureInfo.InvariantCulture))]));
        }
    }

    internal static string Format(TimeSpan value) => GoDuration.Format(value);
}
