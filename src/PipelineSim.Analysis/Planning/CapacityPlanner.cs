using System.Runtime.ExceptionServices;
using PipelineSim.Core.Records;
using PipelineSim.Model;
using PipelineSim.Scenarios.Expect;
using PipelineSim.Spec;

namespace PipelineSim.Analysis.Planning;

/// <summary>How to run a sweep: which shard, how many runs at once, and a progress callback.</summary>
public sealed record PlanRunOptions
{
    public Shard Shard { get; init; } = Shard.Whole;

    /// <summary>Runs at once; each run is single-threaded. Defaults to the number of cores.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The fraction of the shard's simulated time done so far, called from the worker threads.</summary>
    public Action<double>? Progress { get; init; }

    public CancellationToken Cancellation { get; init; }
}

/// <summary>The sweep cannot run on this scenario; one line per problem.</summary>
public sealed class PlanException(IReadOnlyList<string> problems) : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// Runs a capacity-planning sweep: every cell (point × replication) of the shard is one simulation of the scenario
/// changed to that point (<see cref="PlanVariant"/>), run with the replication's seed, in parallel across cores.
/// Each run is deterministic and results are stored by cell index, so the results do not depend on scheduling.
/// </summary>
public static class CapacityPlanner
{
    /// <summary>What makes the sweep impossible on <paramref name="spec"/>: an unknown receiver or source, a replica name clash.</summary>
    public static IReadOnlyList<string> Check(PipelineSpec spec, PlanSweep sweep)
    {
        var topology = ReceiverTopology.TryRead(spec, sweep.Receiver, out string error);
        IEnumerable<string> receiver = topology is null ? [error] : [];
        var unbound = sweep.Slos.Where(s => s.IsClaim && s.Claim is null)
            .Select(s => $"--slo {s}: a claim must be bound to the scenario's names (Slo.Bind) before it runs");
        return [.. receiver.Concat(PlanVariant.Check(spec, topology, sweep.Grid)).Concat(unbound)];
    }

    /// <summary>The scenario facts the evaluation reads (accept backlog, idle timeout, downstream pools).</summary>
    public static ReceiverFacts Facts(PipelineSpec spec, string receiver)
    {
        var topology = ReceiverTopology.TryRead(spec, receiver, out string error) ?? throw new PlanException([error]);
        return ReceiverFacts.Of(spec, topology);
    }

    /// <summary>Runs the sweep (all of it) and evaluates it: what <c>pipelinesim plan</c> does without <c>--shard</c>.</summary>
    public static (PlanResult Plan, IReadOnlyList<CellResult> Runs) Plan(PipelineSpec spec, PlanSweep sweep, PlanRunOptions? options = null) =>
        Plan([spec], sweep, options);

    /// <param name="settings">The scenario for each setting of the varied knobs, in <see cref="PlanGrid.Setting"/> order.</param>
    public static (PlanResult Plan, IReadOnlyList<CellResult> Runs) Plan(IReadOnlyList<PipelineSpec> settings, PlanSweep sweep, PlanRunOptions? options = null)
    {
        options ??= new PlanRunOptions();
        if (!options.Shard.IsWhole) throw new ArgumentException("A shard runs part of a sweep; evaluate it after plan merge.", nameof(options));
        var runs = Run(settings, sweep, options);
        return (PlanEvaluator.Evaluate(sweep, Facts(settings[0], sweep.Receiver), runs), runs);
    }

    /// <summary>Runs the shard's cells and returns their results in cell order.</summary>
    public static IReadOnlyList<CellResult> Run(PipelineSpec spec, PlanSweep sweep, PlanRunOptions? options = null) => Run([spec], sweep, options);

    /// <param name="settings">The scenario for each setting of the varied knobs, in <see cref="PlanGrid.Setting"/> order.</param>
    public static IReadOnlyList<CellResult> Run(IReadOnlyList<PipelineSpec> settings, PlanSweep sweep, PlanRunOptions? options = null)
    {
        options ??= new PlanRunOptions();
        if (settings.Count != sweep.Grid.SettingCount)
            throw new ArgumentException($"The sweep has {sweep.Grid.SettingCount} knob settings, but {settings.Count} scenarios were given.", nameof(settings));
        var problems = settings.SelectMany(spec => Check(spec, sweep)).Distinct(StringComparer.Ordinal).ToList();
        if (problems.Count > 0) throw new PlanException(problems);
        var topologies = settings.Select(spec => ReceiverTopology.TryRead(spec, sweep.Receiver, out _)!).ToList();

        var cells = sweep.Cells().Where(c => options.Shard.Includes(c.Index)).ToArray();
        var results = new CellResult[cells.Length];
        var progress = new ProgressTotal(cells.Length, options.Progress);
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Max(1, options.Parallelism),
            CancellationToken = options.Cancellation,
        };
        try
        {
            Parallel.For(0, cells.Length, parallel, i =>
                results[i] = RunCell(settings[cells[i].Point.Setting], sweep, topologies[cells[i].Point.Setting], cells[i], fraction => progress.Report(i, fraction), options.Cancellation));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // The first failure as itself (a SpecException, say), not wrapped by the parallel loop.
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return results;
    }

    private static CellResult RunCell(PipelineSpec spec, PlanSweep sweep, ReceiverTopology topology, PlanCell cell, Action<double> progress,
        CancellationToken cancellation)
    {
        var point = cell.Point;
        var (variant, instances) = PlanVariant.Apply(spec, topology, point, sweep.Grid.Fleet);
        var observer = new CellObserver(topology);
        var claims = sweep.Slos.Where(s => s.IsClaim).Select(s => s.Claim!).ToList(); // bound: Check refused the sweep otherwise
        // Only claims read what RecordFigures gathers (attempt latencies, queue peaks); without them no run pays for it.
        var figures = claims.Count > 0 ? new RecordFigures(observer) : null;
        var result = SimulationRun.Execute(variant, (IRecordSink?)figures ?? observer, new RunOptions
        {
            Seed = cell.Seed,
            Duration = sweep.Duration,
            Progress = p => progress(p.Fraction),
            Cancellation = cancellation, // a run in progress stops too, not only the ones not yet started
        });
        var receivers = instances.Select(result.Receiver).ToList();
        var holding = topology.Holding(variant);
        return new CellResult
        {
            Cell = cell.Index,
            Point = point.Index,
            ConnLimit = point.ConnLimit,
            FleetSize = point.FleetSize,
            Replicas = point.Replicas,
            Replication = cell.Replication,
            Seed = cell.Seed,
            Judged = observer.Judged,
            Delivered = observer.Delivered,
            Failed = observer.Failed,
            InFlight = observer.InFlight,
            LateInFlight = observer.LateInFlight,
            LatencyP50 = observer.LatencySeconds(0.5),
            LatencyP90 = observer.LatencySeconds(0.9),
            LatencyP95 = observer.LatencySeconds(0.95),
            LatencyP99 = observer.LatencySeconds(0.99),
            PushBytes = observer.PushBytes,
            PeakConnections = receivers.Max(r => r.PeakAcceptedConnections),
            TimeAtLimit = receivers.Max(r => r.TimeAtLimit).TotalSeconds,
            PeakBacklog = receivers.Max(r => r.PeakAcceptBacklog),
            SynDrops = receivers.Sum(r => r.SynDrops),
            ConnectionsAccepted = receivers.Sum(r => r.ConnectionsAccepted),
            Requests = observer.Requests,
            MeanServiceTime = observer.MeanServiceSeconds,
            SkippedTicks = result.Sources.Sum(s => s.SkippedTicks),
            HoldingClients = holding.Clients,
            HoldingPushRate = holding.HoldingPushRate,
            OtherPushRate = holding.OtherPushRate,
            OtherIdleHold = holding.OtherIdleHoldSeconds,
            Events = result.EventsProcessed,
            FirstHopRetries = observer.FirstHopRetries,
            Forwarded = observer.Forwarded,
            ForwardedRetries = observer.ForwardedRetries,
            ForwardedFailed = observer.ForwardedFailed,
            Claims = claims.Count == 0 ? ClaimValues.None : new ClaimValues([.. claims.Select(c => c.Measure(variant, result, figures))]),
        };
    }

    /// <summary>Adds up the runs' fractions; runs report from several threads.</summary>
    private sealed class ProgressTotal(int runs, Action<double>? report)
    {
        private readonly double[] fractions = new double[runs];
        private readonly Lock gate = new();
        private double sum;

        public void Report(int run, double fraction)
        {
            if (report is null) return;
            double total;
            lock (gate)
            {
                sum += fraction - fractions[run];
                fractions[run] = fraction;
                total = Math.Clamp(sum / runs, 0, 1);
            }
            report(total);
        }
    }
}
