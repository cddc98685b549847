using System.Globalization;
using System.Text;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Planning;

/// <summary>
/// The plan as plain text: what <c>plan</c> prints and writes to <c>plan.txt</c>. One formatter for both, so the
/// console and the file always agree; lines stay within about 110 columns.
/// </summary>
public static class PlanText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Sentences are wrapped to this many columns (in plan.txt); the table is as wide as its cells.</summary>
    public const int Width = 110;

    /// <param name="width">Columns to wrap sentences at: <see cref="Width"/> for the file, a narrower terminal's width on one.</param>
    public static string Render(PlanResult plan, int width = Width)
    {
        var text = new StringBuilder();
        var sweep = plan.Sweep;
        int runs = sweep.CellCount;
        text.AppendLine(Invariant, $"plan: {sweep.ScenarioName}, receiver {sweep.Receiver}: {sweep.Grid.PointCount} points x {sweep.Replications} replications = {runs} runs of {GoDuration.Format(sweep.Duration)}, base seed {sweep.BaseSeed}");
        text.AppendLine(Invariant, $"SLO: {string.Join(", ", sweep.Slos)}; a point meets it when the whole 95% interval does (delivered ratio: Wilson over the pooled pushes, widened to Student t when replications disagree; otherwise Student t over replications)");

        if (SweepsSettingsOnly(plan))
        {
            // One conn_limit per setting: a block per setting recommending a conn_limit nobody swept would bury the
            // comparison the user asked for. One row per setting instead, unless the chain's table below already
            // shows every setting with its budget.
            if (plan.Chain is null)
            {
                text.AppendLine();
                RenderTable(text, sweep, plan.Groups.Select(g => (g.Label, g.Points[0])), settingColumn: true);
            }
            text.AppendLine();
            Wrap(text, string.Create(Invariant, $"conn_limit is not swept ({DescribeLimits(plan)}), so none is recommended; add --conn-limit to plan it as well."), width);
        }
        else
        {
            foreach (var group in plan.Groups)
            {
                text.AppendLine();
                if (group.Label.Length > 0) text.AppendLine(Invariant, $"{group.Label}:");
                RenderTable(text, sweep, group.Points.Select(p => ("", p)), settingColumn: false);
                text.AppendLine();
                RenderRecommendation(text, sweep, group, width);
            }
        }
        if (plan.Chain is { } chain)
        {
            text.AppendLine();
            RenderChain(text, sweep, chain, width);
        }
        if (sweep.Grid.Knobs.Count > 0)
        {
            text.AppendLine();
            RenderChoice(text, plan, width);
        }
        if (plan.ReplicaAdvice.Count > 0)
        {
            text.AppendLine();
            foreach (var advice in plan.ReplicaAdvice)
            {
                string fleet = advice.FleetSize is int f ? string.Create(Invariant, $" (fleet {f:N0})") : "";
                Wrap(text, advice.PerInstanceLimit > 0
                    ? string.Create(Invariant, $"replicas{fleet}: {advice.Replicas} x conn_limit {advice.PerInstanceLimit}: {advice.Note}")
                    : string.Create(Invariant, $"replicas{fleet}: {advice.Note}"), width);
            }
        }
        return text.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>Knobs are varied and each setting ran at one conn_limit: the plan compares settings, not limits.</summary>
    private static bool SweepsSettingsOnly(PlanResult plan) =>
        plan.Sweep.Grid.Knobs.Count > 0 && plan.Groups.Count > 1 && plan.Groups.All(g => g.Points.Count == 1);

    private static string DescribeLimits(PlanResult plan)
    {
        var limits = plan.Groups.Select(g => g.Points[0].Point.ConnLimit).Distinct().ToList();
        return limits.Count == 1
            ? string.Create(Invariant, $"{limits[0]} in every setting")
            : "one value per setting";
    }

    /// <param name="settingColumn">Lead each row with its setting (the label of its group).</param>
    private static void RenderTable(StringBuilder text, PlanSweep sweep, IEnumerable<(string Setting, PointSummary Point)> points, bool settingColumn)
    {
        int lead = settingColumn ? 1 : 0;
        var header = new List<string>();
        if (settingColumn) header.Add("setting");
        header.Add("conn_limit");
        header.AddRange(sweep.Slos.Select(ColumnTitle));
        header.AddRange(["peak conns", "peak backlog", "SYN drops", "meets SLO"]);
        var rows = new List<string[]> { header.ToArray() };
        foreach (var (setting, point) in points)
        {
            var row = new List<string>();
            if (settingColumn) row.Add(setting);
            row.Add(point.Point.ConnLimit.ToString(Invariant));
            row.AddRange(point.Slos.Select(Interval));
            row.Add(point.PeakConnections.ToString(Invariant));
            row.Add(point.PeakBacklog.ToString(Invariant));
            row.Add(point.MeanSynDrops.ToString("0.#", Invariant));
            row.Add(point.MeetsSlos ? "yes" : "no");
            rows.Add([.. row]);
        }
        int[] widths = [.. Enumerable.Range(0, header.Count).Select(c => rows.Max(r => r[c].Length))];
        foreach (var row in rows)
        {
            var line = new StringBuilder("  ");
            for (int c = 0; c < row.Length; c++)
            {
                // Numbers right-aligned, intervals left-aligned: columns read down either way.
                bool left = c < lead || (c > lead && c <= lead + sweep.Slos.Count);
                line.Append(left ? row[c].PadRight(widths[c]) : row[c].PadLeft(widths[c]));
                if (c < row.Length - 1) line.Append("  ");
            }
            text.AppendLine(line.ToString().TrimEnd());
        }
    }

    /// <summary>"p99 (95% CI)"; a claim by its text, since "claim" alone would not say which.</summary>
    private static string ColumnTitle(Slo slo) => $"{(slo.IsClaim ? slo.ToString() : slo.Key)} (95% CI)";

    /// <summary>The timeout chain: each setting's budget beside its runs, the guide's options named, and the fixes by arithmetic.</summary>
    private static void RenderChain(StringBuilder text, PlanSweep sweep, ChainReport report, int width)
    {
        var chain = report.Chain;
        Wrap(text, $"timeout chain {chain.Upstream} -> {chain.Receiver} -> {chain.Downstream}: one deadline travels the chain, so {chain.Downstream}'s attempts must fit in {chain.Upstream}'s remote_timeout. Budget: {chain.Downstream} attempts that get their whole timeout when each hangs on a dead connection and dskit waits its longest (1 = no retry fits).", width);
        var header = new List<string> { "option", $"{chain.Upstream} timeout", $"{chain.Downstream} timeout", "retries", "budget" };
        header.AddRange(sweep.Slos.Select(ColumnTitle));
        // The guide compares its options by delivered ratio, p99 and retries: shown whether or not an SLO asks for them.
        bool delivered = sweep.Slos.All(s => s.Metric != SloMetric.Delivered), p99 = sweep.Slos.All(s => s.Metric != SloMetric.LatencyP99);
        if (delivered) header.Add("delivered");
        if (p99) header.Add("p99 (mean)");
        header.AddRange([$"{chain.Upstream} retries/push", $"{chain.Downstream} retries/push", $"{chain.Downstream} failed", "meets SLO"]);
        var rows = new List<string[]> { header.ToArray() };
        // The guide's order (as is, A, B, both), then the other settings.
        string[] named = ["as is", "A:", "B:", "A and B"];
        int Rank(ChainRow row) => row.Option.Length == 0 ? named.Length : Array.FindIndex(named, n => row.Option.StartsWith(n, StringComparison.Ordinal));
        foreach (var row in report.Rows.OrderBy(Rank).ThenBy(r => r.Setting))
        {
            var cells = new List<string>
            {
                row.Option.Length == 0 ? "-" : row.Option,
                GoDuration.Format(row.UpstreamTimeout),
                GoDuration.Format(row.DownstreamTimeout),
                row.DownstreamRetries.ToString(Invariant),
                row.Budget.ToString(Invariant),
            };
            cells.AddRange(row.Point.Slos.Select(Interval));
            if (delivered) cells.Add(double.IsNaN(row.Delivered) ? "n/a" : Percent(row.Delivered));
            if (p99) cells.Add(double.IsNaN(row.LatencyP99) ? "n/a" : row.LatencyP99.ToString("0.000 s", Invariant));
            cells.Add(row.UpstreamRetriesPerPush.ToString("0.###", Invariant));
            cells.Add(row.DownstreamRetriesPerPush.ToString("0.###", Invariant));
            cells.Add(row.ForwardedFailed.ToString(Invariant));
            cells.Add(row.Point.MeetsSlos ? "yes" : "no");
            rows.Add([.. cells]);
        }
        int[] widths = [.. Enumerable.Range(0, header.Count).Select(c => rows.Max(r => r[c].Length))];
        foreach (var row in rows)
            text.AppendLine("  " + string.Join("  ", row.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        string lower = report.LowerDownstreamTo is TimeSpan d
            ? $"or lower {chain.Downstream}'s to {GoDuration.Format(d)} or less"
            : $"no {chain.Downstream} timeout of 100ms or more leaves a retry inside it";
        Wrap(text, $"  arithmetic: for one retry of {chain.Downstream} when an attempt hangs, raise {chain.Upstream}'s remote_timeout to {GoDuration.Format(report.RaiseUpstreamTo)} or more, {lower}", width);
        foreach (var row in report.Rows.Where(r => r.Disagreement is not null))
        {
            string name = row.Option.Length == 0 ? sweep.Grid.SettingLabel(row.Setting) : row.Option;
            Wrap(text, $"  {name}: {row.Disagreement}", width);
        }
    }

    /// <summary>The setting of the varied knobs the plan recommends, how it was chosen, and its margin on each SLO.</summary>
    private static void RenderChoice(StringBuilder text, PlanResult plan, int width)
    {
        var grid = plan.Sweep.Grid;
        var preferences = grid.Knobs.Where(k => k.Preference != KnobPreference.None)
            .Select(k => $"{k.ShortName} {(k.Preference == KnobPreference.Low ? "low" : "high")}").ToList();
        string order = preferences.Count == 0
            ? "no --prefer given, so the smallest sufficient conn_limit decides"
            : $"cheapest by {string.Join(", then ", preferences)}, then the smallest sufficient conn_limit";
        int meeting = plan.Groups.Count(g => g.Recommended is not null);
        if (plan.Choice is not { Sufficient: { } point } choice)
        {
            Wrap(text, string.Create(Invariant, $"recommended setting: none: no combination of the {plan.Groups.Count} settings meets every SLO at any swept conn_limit"), width);
            return;
        }
        string limit = grid.ConnLimits.Count == 1
            ? string.Create(Invariant, $"conn_limit {point.Point.ConnLimit} (not varied)")
            : string.Create(Invariant, $"conn_limit {choice.Recommended}");
        Wrap(text, string.Create(Invariant,
            $"recommended setting: {grid.SettingLabel(choice.Setting)}, {limit} ({order}; {meeting} of {plan.Groups.Count} settings meet every SLO)"), width);
        foreach (var estimate in point.Slos)
        {
            if (estimate.Interval is not { } ci) continue;
            var slo = estimate.Slo;
            // Headroom is measured from the interval's worse end, the one that decided, with 95% confidence, that the
            // SLO was met; a claim of == or != has no side to measure it on.
            string headroom = slo.Headroom(ci) is double margin
                ? $"headroom {slo.FormatValue(margin)} beyond the 95% bound"
                : "the whole 95% interval holds it";
            Wrap(text, $"  {slo}: {Interval(estimate)} at conn_limit {point.Point.ConnLimit}, met with 95% confidence, {headroom}", width);
        }
        var costlierFailing = PlanEvaluator.CostlierFailing(grid, plan.Groups, choice);
        if (costlierFailing.Count > 0)
        {
            string which = string.Join("; ", costlierFailing.Take(3).Select(g => grid.SettingLabel(g.Setting)));
            string more = costlierFailing.Count > 3 ? string.Create(Invariant, $" and {costlierFailing.Count - 3} more") : "";
            Wrap(text, string.Create(Invariant,
                $"  caution: {costlierFailing.Count} costlier setting{(costlierFailing.Count == 1 ? "" : "s")} failed the SLOs ({which}{more}): the runs are noisy around this choice or not monotone in a knob; more replications, or a setting whose costlier neighbours all pass, buy margin"), width);
        }
    }

    private static void RenderRecommendation(StringBuilder text, PlanSweep sweep, GroupPlan group, int width)
    {
        if (group.Recommended is int recommended && group.Sufficient is { } sufficient)
        {
            text.AppendLine(Invariant, $"recommended conn_limit: {recommended} (smallest sufficient {sufficient.Point.ConnLimit} x headroom {sweep.Headroom.ToString("0.##", Invariant)}, rounded up)");
        }
        else
        {
            text.AppendLine("recommended conn_limit: none (no swept conn_limit meets the SLO)");
        }
        foreach (string line in group.Comparison) Wrap(text, $"  analytic: {line}", width);
        foreach (string note in group.Notes) Wrap(text, $"  note: {note}", width);
        if (group.Footprint is { } cost)
        {
            Wrap(text, string.Create(Invariant,
                $"  cost per instance at {cost.ConnLimit}: about {cost.FileDescriptors:N0} file descriptors (LimitNOFILE >= {cost.SuggestedNoFileLimit:N0}); memory about {Bytes(cost.IdleBytes)} with every connection idle, {Bytes(cost.BusyBytes)} if each carries a push at once (estimates, see docs/guides/capacity-planning.md)"), width);
        }
    }

    /// <summary>
    /// Appends a sentence broken at spaces into lines of at most <paramref name="width"/> columns (a longer word stays whole),
    /// keeping the sentence's indent and continuing two columns further in.
    /// </summary>
    private static void Wrap(StringBuilder text, string sentence, int width)
    {
        string indent = sentence[..(sentence.Length - sentence.TrimStart().Length)];
        var line = new StringBuilder(indent);
        bool empty = true;
        foreach (string word in sentence.TrimStart().Split(' '))
        {
            if (!empty && line.Length + 1 + word.Length > width)
            {
                text.AppendLine(line.ToString());
                line.Clear().Append(indent).Append("  ");
                empty = true;
            }
            if (!empty) line.Append(' ');
            line.Append(word);
            empty = false;
        }
        text.AppendLine(line.ToString());
    }

    /// <summary>"99.3% [98.1%, 99.8%]", "1.204 s [1.1 s, 1.3 s]", a claim's "0 [0, 0], held in 5 of 5 runs", or why there is none.</summary>
    public static string Interval(SloEstimate estimate)
    {
        if (estimate.Interval is not { } ci) return estimate.Note ?? "n/a";
        var slo = estimate.Slo;
        string interval = $"{slo.FormatValue(ci.Estimate)} [{slo.FormatValue(ci.Lower)}, {slo.FormatValue(ci.Upper)}]";
        return estimate.Note is { } note ? $"{interval}, {note}" : interval;
    }

    /// <summary>The sentence on how the receiver's connections are occupied, with the analytic numbers.</summary>
    public static string Regime(AnalyticEstimate a, ReceiverFacts facts)
    {
        string load = string.Create(Invariant, $"λ = {a.ArrivalRate:0.###}/s, S = {a.ServiceTime:0.###} s, A = λ·S = {a.OfferedLoad:0.###} erlangs");
        string interval = facts.HoldingPushInterval is TimeSpan i ? GoDuration.Format(i) : "?";
        string idle = GoDuration.Format(facts.ServerIdleTimeout);
        double idleHold = a.HoldTime - a.ServiceTime;
        string hold = idleHold > 0
            ? string.Create(Invariant, $"each request holds its slot for S plus the idle timeout that closes its connection before the agent's next push, {a.HoldTime:0.###} s in all")
            : string.Create(Invariant, $"each request holds its slot only while it runs (keep-alives off, a shared writer's pool, or an L7 balancer in front), {a.HoldTime:0.###} s");
        string erlang = string.Create(Invariant,
            $"Erlang C: {a.ErlangSlots} slots keep P(wait for accept) <= {Percent(a.WaitTarget)}; M/M/c/K with the accept backlog of {facts.AcceptBacklog}: P(SYN drop) = {a.SynDropProbability:0.###E+0} (a loss formula: a real dropped SYN is sent again 1 s, 3 s and 7 s later, a retrial queue, so the waits it causes are longer than the formula's); {Arrivals(facts)}");
        return a.Regime switch
        {
            ConnectionRegime.KeepAliveHeld => string.Create(Invariant,
                $"keep-alive: {a.HoldingClients:N0} agents push every {interval} or faster, within server_idle_timeout {idle}, so each holds its connection and a slot between pushes ({a.HeldPerInstance:N0} per instance): the limit scales with connected clients, not with load ({load}, for which Erlang C alone would ask {a.ErlangSlotsForAllLoad} slots)"),
            ConnectionRegime.Mixed => string.Create(Invariant,
                $"mixed: {a.HeldPerInstance:N0} connections per instance held for good by agents pushing every {interval} or faster, plus slots for the other agents' requests: {hold}, A = {a.LoadDrivenLoad:0.###} erlangs; {erlang}; {a.Slots:N0} in all"),
            _ => string.Create(Invariant,
                $"no client holds a connection for good, so slots follow the load: {load}; {hold}, so A = λ·{a.HoldTime:0.###} s = {a.LoadDrivenLoad:0.###} erlangs; {erlang}"),
        };
    }

    /// <summary>What the formulas' Poisson assumption means for this scenario's sources.</summary>
    public static string Arrivals(ReceiverFacts facts) => facts.PoissonArrivals
        ? "the sources have arrivals: poisson, as the formulas assume (retries then add arrivals of their own)"
        : "the formulas assume Poisson arrivals: Go-ticker agents at random phases arrive more evenly and wait less " +
          "(about half Erlang C's mean wait in the textbook check), retries in waves arrive in bursts and wait more";

    public static string GroupLabel(int? fleetSize, int replicas, bool showReplicas, string setting = "")
    {
        var parts = new List<string>();
        if (setting.Length > 0) parts.Add(setting);
        if (fleetSize is int f) parts.Add(string.Create(Invariant, $"fleet {f:N0}"));
        if (showReplicas || replicas > 1) parts.Add(replicas == 1 ? "1 replica" : string.Create(Invariant, $"{replicas} replicas"));
        return string.Join(", ", parts);
    }

    public static string Percent(double fraction) => (fraction * 100).ToString("0.###", Invariant) + "%";

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.#", Invariant) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.#", Invariant) + " MiB",
        _ => (bytes / 1024.0).ToString("0.#", Invariant) + " KiB",
    };
}
