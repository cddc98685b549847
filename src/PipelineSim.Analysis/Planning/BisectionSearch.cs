using PipelineSim.Spec;

namespace PipelineSim.Analysis.Planning;

/// <summary>What an adaptive search ran, against what the full grid would have.</summary>
public sealed record SearchOutcome(PlanSweep Sweep, IReadOnlyList<CellResult> Runs, int FullGridRuns)
{
    public int RunsTaken => Runs.Count;
}

/// <summary>
/// Finds each group's smallest sufficient conn_limit by bisection over the swept values instead of running them all.
/// It rests on one property of the knob: more conn_limit never hurts delivery or latency (a slot more can only let a
/// connection in sooner), so "meets every SLO" is false below some value and true from it on. Each probe runs a point's
/// replications and is judged as the full sweep judges it, by the whole 95% interval; an interval that does not yet
/// clear the SLO counts as not met, so the search errs towards the larger limit. Replication r uses the same seed at
/// every point (common random numbers), so neighbouring probes differ by the limit, not by luck, and a probed point's
/// results are exactly those the full grid would give it.
/// </summary>
public static class BisectionSearch
{
    public static SearchOutcome Run(IReadOnlyList<PipelineSpec> settings, PlanSweep sweep, PlanRunOptions options)
    {
        if (!options.Shard.IsWhole) throw new ArgumentException("An adaptive search runs as one process; shard a grid instead.", nameof(options));
        var limits = sweep.Grid.ConnLimits;
        var groups = sweep.Grid.Points().Where(p => p.ConnLimit == limits[0]).ToList();
        var probed = new Dictionary<(int Group, int Limit), IReadOnlyList<CellResult>>();
        // Progress in probes against the most a bisection can take; the fill-in at the end is usually small.
        int most = groups.Count * (int.Log2(limits.Count) + 1);
        var quiet = options with { Progress = null };
        IReadOnlyList<CellResult> Probe(PlanPoint group, int limit)
        {
            var runs = ProbePoint(settings, sweep, group, limit, quiet);
            options.Progress?.Invoke(Math.Min(1, (double)probed.Count / most));
            return runs;
        }

        for (int g = 0; g < groups.Count; g++)
        {
            // Invariant: every value below lo fails; the value at hi (or none, hi == Count) is known to meet.
            int lo = 0, hi = limits.Count;
            while (lo < hi)
            {
                int mid = lo + (hi - lo) / 2;
                var runs = Probe(groups[g], limits[mid]);
                probed[(g, limits[mid])] = runs;
                if (Enumerable.Range(0, sweep.Slos.Count).All(i => PlanEvaluator.Estimate(sweep.Slos, i, runs).Met)) hi = mid;
                else lo = mid + 1;
            }
        }

        // The plan shows a table per group over one set of limits: the union of what any group probed, filled in
        // where a group did not probe a value another did.
        var used = probed.Keys.Select(k => k.Limit).Distinct().Order().ToList();
        for (int g = 0; g < groups.Count; g++)
        {
            foreach (int limit in used)
            {
                if (!probed.ContainsKey((g, limit))) probed[(g, limit)] = Probe(groups[g], limit);
            }
        }

        var searched = sweep with { Grid = sweep.Grid with { ConnLimits = used } };
        var results = new List<CellResult>(searched.CellCount);
        foreach (var cell in searched.Cells())
        {
            int group = groups.FindIndex(p => p.Group == cell.Point.Group);
            var run = probed[(group, cell.Point.ConnLimit)][cell.Replication];
            results.Add(run with { Cell = cell.Index, Point = cell.Point.Index });
        }
        return new SearchOutcome(searched, results, sweep.CellCount);
    }

    /// <summary>The replications of one point: the group's fleet, replicas and knob setting at <paramref name="limit"/>.</summary>
    private static IReadOnlyList<CellResult> ProbePoint(IReadOnlyList<PipelineSpec> settings, PlanSweep sweep, PlanPoint group, int limit, PlanRunOptions options)
    {
        var grid = sweep.Grid;
        var single = sweep with
        {
            Grid = new PlanGrid([limit], grid.Fleet is null ? null : grid.Fleet with { Sizes = [group.FleetSize!.Value] }, [group.Replicas])
            {
                Knobs = [.. grid.Setting(group.Setting).Select((o, k) => grid.Knobs[k] with { Values = [o.Value] })],
            },
        };
        return CapacityPlanner.Run([settings[group.Setting]], single, options);
    }
}
