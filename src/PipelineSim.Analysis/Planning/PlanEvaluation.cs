using System.Globalization;
using PipelineSim.Analysis.Statistics;
using PipelineSim.Core.Time;
using PipelineSim.Scenarios.Expect;

namespace PipelineSim.Analysis.Planning;

/// <summary>One SLO at one point: its 95% interval (null when the runs give none) and whether the point meets it.</summary>
public sealed record SloEstimate(Slo Slo, ConfidenceInterval? Interval, bool Met, string? Note = null);

/// <summary>A sweep point's replications summarised.</summary>
public sealed record PointSummary
{
    public required PlanPoint Point { get; init; }

    public required IReadOnlyList<CellResult> Runs { get; init; }

    /// <summary>One per SLO of the sweep, in its order.</summary>
    public required IReadOnlyList<SloEstimate> Slos { get; init; }

    public bool MeetsSlos => Slos.All(s => s.Met);

    public int PeakConnections => Runs.Max(r => r.PeakConnections);

    public int PeakBacklog => Runs.Max(r => r.PeakBacklog);

    public double MeanSynDrops => Runs.Average(r => r.SynDrops);

    public double MeanTimeAtLimit => Runs.Average(r => r.TimeAtLimit);

    public long Judged => Runs.Sum(r => r.Judged);
}

/// <summary>Which replica count to run, and at what per-instance limit, when an instance may hold at most a ceiling.</summary>
public sealed record ReplicaAdvice(int? FleetSize, int Replicas, int PerInstanceLimit, bool Simulated, string Note);

/// <summary>The points of one (fleet size, replicas, knob setting) group, and what they recommend.</summary>
public sealed record GroupPlan
{
    public required int? FleetSize { get; init; }

    public required int Replicas { get; init; }

    /// <summary>The combination of varied knob values (<see cref="PlanGrid.Setting"/>); 0 when none is varied.</summary>
    public int Setting { get; init; }

    public required IReadOnlyList<PointSummary> Points { get; init; }

    /// <summary>The smallest conn_limit at and above which every swept point meets every SLO; null when none does.</summary>
    public required PointSummary? Sufficient { get; init; }

    /// <summary><see cref="Sufficient"/>'s limit times the headroom, rounded up to two significant digits.</summary>
    public required int? Recommended { get; init; }

    /// <summary>The queueing estimate; null when no request succeeded to measure a service time.</summary>
    public required AnalyticEstimate? Analytic { get; init; }

    /// <summary>Why the analytic and the simulated answers agree or differ, in sentences.</summary>
    public required IReadOnlyList<string> Comparison { get; init; }

    /// <summary>Caveats: grid edges, intervals too wide to meet the SLO, a non-monotone sweep.</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    public required ConnectionFootprint? Footprint { get; init; }

    /// <summary>"fleet 2,000, 2 replicas"; empty when the sweep varies conn_limit alone.</summary>
    public required string Label { get; init; }
}

/// <summary>The evaluated sweep: points, a recommendation per group, and replica advice under a ceiling.</summary>
public sealed record PlanResult
{
    public required PlanSweep Sweep { get; init; }

    public required ReceiverFacts Facts { get; init; }

    public required IReadOnlyList<PointSummary> Points { get; init; }

    public required IReadOnlyList<GroupPlan> Groups { get; init; }

    public required IReadOnlyList<ReplicaAdvice> ReplicaAdvice { get; init; }

    /// <summary>
    /// With knobs varied, the cheapest group that meets every SLO (<see cref="PlanEvaluator.Cheapest"/>); null when
    /// none does, or when no knob is varied (each group is then a question of its own: a fleet size, a replica count).
    /// </summary>
    public GroupPlan? Choice { get; init; }

    /// <summary>The timeout chain's section (<c>--timeout-chain</c>): the guide's options beside the other settings.</summary>
    public ChainReport? Chain { get; init; }

    /// <summary>
    /// Without knobs, every group (fleet size, replicas) found a conn_limit that meets the SLOs; with knobs, one
    /// setting of them did (the others are the alternatives it was chosen from).
    /// </summary>
    public bool HasRecommendation => Sweep.Grid.Knobs.Count > 0 ? Choice is not null : Groups.All(g => g.Recommended is not null);
}

/// <summary>
/// Judges a finished sweep. A point meets an SLO when its whole 95% interval is on the good side: for the delivered
/// ratio, Wilson's interval over the pushes pooled across replications, widened to Student's t over the replications'
/// own ratios when they disagree more than Wilson allows; Student's t over the replications for a latency quantile or
/// the failed count. Per group the sufficient limit is the smallest swept conn_limit at and above which every point
/// meets every SLO (a lone lucky point below a failing one does not count).
/// </summary>
public static class PlanEvaluator
{
    public static PlanResult Evaluate(PlanSweep sweep, ReceiverFacts facts, IReadOnlyList<CellResult> cells)
    {
        var byCell = cells.ToDictionary(c => c.Cell);
        var missing = Enumerable.Range(0, sweep.CellCount).Where(i => !byCell.ContainsKey(i)).ToList();
        if (missing.Count > 0 || byCell.Count != sweep.CellCount)
            throw new PlanException([$"the results cover {byCell.Count} of the sweep's {sweep.CellCount} runs (first missing: cell {missing.FirstOrDefault()})"]);

        var points = sweep.Grid.Points().Select(p => Summarise(sweep, p,
            [.. Enumerable.Range(0, sweep.Replications).Select(r => byCell[p.Index * sweep.Replications + r])])).ToList();
        var groups = points.GroupBy(p => p.Point.Group).Select(g => PlanGroup(sweep, facts, [.. g])).ToList();
        return new PlanResult
        {
            Sweep = sweep,
            Facts = facts,
            Points = points,
            Groups = groups,
            Choice = sweep.Grid.Knobs.Count > 0 ? Cheapest(sweep.Grid, groups) : null,
            ReplicaAdvice = sweep.PerInstanceCeiling is int ceiling ? AdviseReplicas(sweep, groups, ceiling) : [],
        };
    }

    /// <summary>
    /// The group, among those that found a sufficient conn_limit, whose knob values cost least: compared knob by knob
    /// in the order they were given, each by its preferred direction (a knob with no preference does not decide),
    /// then by the smaller recommended conn_limit, then the fewer replicas and the smaller fleet.
    /// </summary>
    public static GroupPlan? Cheapest(PlanGrid grid, IReadOnlyList<GroupPlan> groups)
    {
        var candidates = groups.Where(g => g.Recommended is not null).ToList();
        if (candidates.Count == 0) return null;
        return candidates.Order(Comparer<GroupPlan>.Create((a, b) => CompareKnobCost(grid, a.Setting, b.Setting)))
            .ThenBy(g => g.Recommended).ThenBy(g => g.Replicas).ThenBy(g => g.FleetSize ?? 0).ThenBy(g => g.Setting).First();
    }

    /// <summary>
    /// Which of two knob settings costs more: knob by knob in the order given, each by its preferred direction; a knob
    /// with no preference does not decide. Negative when <paramref name="a"/> is cheaper, 0 when neither is.
    /// </summary>
    public static int CompareKnobCost(PlanGrid grid, int a, int b)
    {
        var (left, right) = (grid.Setting(a), grid.Setting(b));
        for (int k = 0; k < grid.Knobs.Count; k++)
        {
            int order = KnobSweep.Magnitude(left[k].Value).CompareTo(KnobSweep.Magnitude(right[k].Value));
            int cost = grid.Knobs[k].Preference switch
            {
                KnobPreference.Low => order,
                KnobPreference.High => -order,
                _ => 0,
            };
            if (cost != 0) return cost;
        }
        return 0;
    }

    /// <summary>
    /// Settings that cost more than the choice (<see cref="CompareKnobCost"/>), with its fleet size and replicas, and yet
    /// met the SLOs at no swept conn_limit: where the runs are noisy around the recommendation, or not monotone in a knob.
    /// </summary>
    public static IReadOnlyList<GroupPlan> CostlierFailing(PlanGrid grid, IReadOnlyList<GroupPlan> groups, GroupPlan choice) =>
    [
        .. groups.Where(g => g.Recommended is null && g.FleetSize == choice.FleetSize && g.Replicas == choice.Replicas
            && CompareKnobCost(grid, g.Setting, choice.Setting) > 0),
    ];

    /// <summary>The point's estimate of the sweep's SLO number <paramref name="index"/> from its replications.</summary>
    public static SloEstimate Estimate(IReadOnlyList<Slo> slos, int index, IReadOnlyList<CellResult> runs)
    {
        var slo = slos[index];
        switch (slo.Metric)
        {
            case SloMetric.Claim:
                return EstimateClaim(slo, [.. runs.Select(r => r.Claims[slos.Take(index).Count(s => s.IsClaim)])]);
            case SloMetric.Delivered:
                long judged = runs.Sum(r => r.Judged);
                if (judged == 0) return new SloEstimate(slo, null, false, "no pushes were judged");
                var ratio = Estimates.ProportionOverReplications([.. runs.Select(r => (r.Delivered, r.Judged))]);
                return new SloEstimate(slo, ratio, slo.IsMetBy(ratio));
            case SloMetric.Failed:
                var failed = Estimates.Mean([.. runs.Select(r => (double)(r.Judged - r.Delivered))]);
                return new SloEstimate(slo, failed, slo.IsMetBy(failed));
            default:
                var values = runs.Select(r => r.Latency(slo.Quantile)).ToList();
                if (values.Any(double.IsNaN)) return new SloEstimate(slo, null, false, "a replication judged no pushes");
                var latency = Estimates.Mean(values);
                return new SloEstimate(slo, latency, slo.IsMetBy(latency));
        }
    }

    /// <summary>
    /// A claim over replications: Student's t interval of its left side minus its right side, which meets the claim
    /// when the whole interval stands in the claim's comparison to 0, and how many runs it held in, as a run's
    /// <c>expect:</c> would judge each one.
    /// </summary>
    private static SloEstimate EstimateClaim(Slo slo, IReadOnlyList<ClaimSides> runs)
    {
        if (runs.Any(r => !r.IsKnown)) return new SloEstimate(slo, null, false, $"{runs.Count(r => !r.IsKnown)} of {runs.Count} runs could not compute it");
        int held = runs.Count(r => Expectation.Compare(slo.ClaimComparison, r.Left, r.Right));
        var difference = Estimates.Mean([.. runs.Select(r => r.Difference)]);
        return new SloEstimate(slo, difference, slo.IsMetBy(difference), string.Create(CultureInfo.InvariantCulture, $"held in {held} of {runs.Count} runs"));
    }

    private static PointSummary Summarise(PlanSweep sweep, PlanPoint point, IReadOnlyList<CellResult> runs) => new()
    {
        Point = point,
        Runs = runs,
        Slos = [.. sweep.Slos.Select((_, i) => Estimate(sweep.Slos, i, runs))],
    };

    private static GroupPlan PlanGroup(PlanSweep sweep, ReceiverFacts facts, IReadOnlyList<PointSummary> points)
    {
        // The smallest limit whose point and every larger point meet the SLOs.
        int first = points.Count;
        while (first > 0 && points[first - 1].MeetsSlos) first--;
        var sufficient = first < points.Count ? points[first] : null;
        int? recommended = sufficient is null ? null : LimitRounding.UpToTwoSignificantDigits(sufficient.Point.ConnLimit * sweep.Headroom);

        var analytic = Analyse(sweep, facts, points);
        var lastRuns = points[^1].Runs;
        double judged = lastRuns.Sum(r => r.Judged);
        double meanRequestBytes = judged == 0 ? 0 : lastRuns.Sum(r => r.PushBytes) / judged;
        var group = points[0].Point;
        return new GroupPlan
        {
            FleetSize = group.FleetSize,
            Replicas = group.Replicas,
            Setting = group.Setting,
            Label = PlanText.GroupLabel(group.FleetSize, group.Replicas, showReplicas: sweep.Grid.Replicas.Count > 1, sweep.Grid.SettingLabel(group.Setting)),
            Points = points,
            Sufficient = sufficient,
            Recommended = recommended,
            Analytic = analytic,
            Comparison = Compare(sweep, facts, points, first, analytic),
            Notes = Notes(sweep, points, first),
            Footprint = recommended is int limit ? ConnectionFootprint.For(limit, facts, meanRequestBytes) : null,
        };
    }

    /// <summary>The queueing estimate from the least constrained point of the group (its largest conn_limit).</summary>
    private static AnalyticEstimate? Analyse(PlanSweep sweep, ReceiverFacts facts, IReadOnlyList<PointSummary> points)
    {
        var runs = points[^1].Runs;
        var services = runs.Select(r => r.MeanServiceTime).Where(s => !double.IsNaN(s)).ToList();
        if (services.Count == 0) return null;
        var holding = new ConnectionHolding(runs[0].HoldingClients, runs[0].HoldingPushRate, runs[0].OtherPushRate, runs[0].OtherIdleHold);
        double arrivals = runs.Average(r => r.Requests) / sweep.Duration.TotalSeconds;
        // Replicas and the targets of a balancer in front of the receiver both share its load evenly: a balancer's round
        // robin and least-connections policies alike spread connections and requests evenly over targets that are up.
        return AnalyticEstimate.Compute(holding, points[0].Point.Replicas * facts.GroupSize, arrivals, services.Average(), WaitTarget(sweep),
            facts.AcceptBacklog);
    }

    /// <summary>The wait probability Erlang C may leave: what the delivered SLO lets fail, else 1%.</summary>
    public static double WaitTarget(PlanSweep sweep)
    {
        var delivered = sweep.Slos.Where(s => s.Metric == SloMetric.Delivered).Select(s => s.Threshold).DefaultIfEmpty(0.99).Max();
        return Math.Clamp(1 - delivered, 1e-6, 0.5);
    }

    private static List<string> Compare(PlanSweep sweep, ReceiverFacts facts, IReadOnlyList<PointSummary> points, int first,
        AnalyticEstimate? analytic)
    {
        var lines = new List<string>();
        if (analytic is null)
        {
            lines.Add("no request to the receiver succeeded at the largest conn_limit, so there is no service time for a queueing estimate");
            return lines;
        }
        if (facts.GroupSize > 1)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"the receiver is one of {facts.GroupSize} targets of load balancer {facts.Balancer}: each point sets the conn_limit of every target, and the figures (simulated and analytic) are per instance, the load split evenly"));
        }
        lines.Add(PlanText.Regime(analytic, facts));
        if (points[^1].MeanTimeAtLimit > 0)
        {
            lines.Add($"the analytic inputs were measured at conn_limit {points[^1].Point.ConnLimit}, which sat at its limit: " +
                "waiting and retries there inflate λ and S, so the estimate errs high; sweep past the limit for a clean measurement");
        }

        long estimate = analytic.Slots;
        int largest = points[^1].Point.ConnLimit;
        if (first == points.Count)
        {
            lines.Add(estimate > largest
                ? $"no swept conn_limit met the SLO; the analytic estimate, {estimate}, is above the largest tried ({largest}): extend the sweep past it"
                : $"no swept conn_limit met the SLO although the analytic estimate is {estimate}: the runs fail for reasons a queueing formula does not see (timeouts, retries, a failing backend); look at one run's plots");
            return lines;
        }

        int simulated = points[first].Point.ConnLimit;
        int? below = first > 0 ? points[first - 1].Point.ConnLimit : null;
        bool held = analytic.Regime != ConnectionRegime.LoadDriven;
        if (estimate <= simulated && (below is null || estimate > below))
        {
            lines.Add(below is null
                ? $"simulation and analysis agree as far as the sweep shows: the smallest conn_limit tried ({simulated}) meets the SLO, and the analytic estimate is {estimate}"
                : $"simulation and analysis agree: the analytic estimate {estimate} lies in the sweep step ({below}, {simulated}] where the SLO starts to hold");
        }
        else if (estimate > simulated)
        {
            lines.Add(held
                ? $"the simulation met the SLO with {simulated} slots, fewer than the {estimate} connected clients: clients beyond the limit wait in the accept backlog until idle connections are closed (server_idle_timeout {GoDuration.Format(facts.ServerIdleTimeout)}), and within {GoDuration.Format(sweep.Duration)} too few of their pushes failed to break the SLO; a longer run, more replications or a stricter SLO move it toward {estimate}"
                : $"the simulation met the SLO with {simulated} slots, fewer than Erlang C's {estimate}: Erlang C's target (P(wait) <= {PlanText.Percent(analytic.WaitTarget)}) is stricter than the SLO, since a push that waits for accept is only late, and fails only when the wait outlasts its deadline");
        }
        else
        {
            lines.Add(held
                ? $"the simulation needs more slots ({simulated}) than the analytic {estimate}: connections a client has given up on (timed-out attempts, new dials after a failure) stay accepted until the server notices, and retries arrive while the held connections are busy"
                : $"the simulation needs more slots ({simulated}) than Erlang C's {estimate}: once the limit is reached, waiting clients time out and retry, and their connections stay queued or accepted meanwhile, so a brief excess feeds on itself; Erlang C assumes arrivals that do not react to waiting, and exponential holding times");
        }
        return lines;
    }

    private static List<string> Notes(PlanSweep sweep, IReadOnlyList<PointSummary> points, int first)
    {
        var notes = new List<string>();
        if (first == 0)
            notes.Add($"the smallest conn_limit tried ({points[0].Point.ConnLimit}) already meets the SLO: the least sufficient limit may be lower");
        if (first == points.Count)
            notes.Add($"no conn_limit in the sweep meets every SLO (largest tried: {points[^1].Point.ConnLimit})");
        var lucky = points.Take(Math.Max(0, first - 1)).Where(p => p.MeetsSlos).Select(p => p.Point.ConnLimit).ToList();
        if (lucky.Count > 0 && first > 0)
            notes.Add($"conn_limit {string.Join(", ", lucky)} met the SLO but the larger {points[first - 1].Point.ConnLimit} did not: the sweep is noisy there, so the recommendation starts where every larger point meets it");

        foreach (var slo in sweep.Slos)
        {
            if (slo.Metric == SloMetric.Delivered)
            {
                long judged = points.Min(p => p.Judged);
                if (judged > 0 && !slo.IsMetBy(Estimates.Proportion(judged, judged)))
                {
                    notes.Add($"with {judged:N0} judged pushes at a point, even 100% delivered has a 95% lower bound of " +
                        $"{PlanText.Percent(Estimates.Proportion(judged, judged).Lower)}, short of {slo}: run longer (--duration) or more replications (--replications)");
                }
            }
            else if (slo.IsLatency && sweep.Replications < 2)
            {
                notes.Add($"{slo}: one replication gives no interval for a latency quantile; use --replications 2 or more");
            }
        }
        return notes;
    }

    private static List<ReplicaAdvice> AdviseReplicas(PlanSweep sweep, IReadOnlyList<GroupPlan> groups, int ceiling)
    {
        var advice = new List<ReplicaAdvice>();
        foreach (var fleet in groups.GroupBy(g => g.FleetSize))
        {
            var options = fleet.OrderBy(g => g.Replicas).ToList();
            if (options.Count > 1)
            {
                var fits = options.FirstOrDefault(g => g.Recommended is int r && r <= ceiling);
                advice.Add(fits is null
                    ? new ReplicaAdvice(fleet.Key, options[^1].Replicas, 0, Simulated: true,
                        $"even {options[^1].Replicas} replicas need more than the ceiling of {ceiling} connections each (or meet no SLO): sweep more replicas")
                    : new ReplicaAdvice(fleet.Key, fits.Replicas, fits.Recommended!.Value, Simulated: true,
                        $"the fewest swept replicas whose recommended conn_limit ({fits.Recommended}) fits under {ceiling}"));
                continue;
            }
            var only = options[0];
            if (only.Recommended is not int recommended) continue;
            long total = (long)recommended * only.Replicas;
            int replicas = (int)Math.Max(only.Replicas, (total + ceiling - 1) / ceiling);
            int perInstance = Math.Min(ceiling, LimitRounding.UpToTwoSignificantDigits((double)total / replicas));
            advice.Add(new ReplicaAdvice(fleet.Key, replicas, perInstance, Simulated: replicas == only.Replicas,
                replicas == only.Replicas
                    ? $"the recommended conn_limit ({recommended}) fits under the ceiling of {ceiling}"
                    : $"{total} connections over instances of at most {ceiling}, assuming an L4 least-connections balancer spreads them evenly: check with --replicas {replicas.ToString(CultureInfo.InvariantCulture)}"));
        }
        return advice;
    }
}
