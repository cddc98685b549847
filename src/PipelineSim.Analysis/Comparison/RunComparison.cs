using PipelineSim.Analysis.Statistics;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Comparison;

/// <summary>
/// How far two latencies may differ and still agree: <c>|live − simulated| ≤ Absolute + Relative × simulated</c>.
/// The absolute part covers what a live run adds whatever the latency (a machine's stall, divided by the time
/// scale); the relative part what grows with it (per-hop processing and timer lateness, once per attempt).
/// </summary>
public sealed record LatencyTolerance(TimeSpan Absolute, double Relative)
{
    /// <summary>The margin allowed around <paramref name="simulated"/>.</summary>
    public TimeSpan Around(TimeSpan simulated) => Absolute + simulated.Duration() * Relative;

    public bool Allows(TimeSpan simulated, TimeSpan live) => (live - simulated).Duration() <= Around(simulated);
}

/// <summary>
/// How to line two runs of one scenario up: their common length, the edge at the end inside which one run may
/// not have started a push the other did, and how close latency quantiles must be.
/// </summary>
public sealed record ComparisonOptions
{
    /// <summary>Scenario time both runs ran for.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>
    /// A push that only one run made is left out when it started this close to the end (a stall at the end can keep
    /// the other run from starting it); earlier, it is a disagreement.
    /// </summary>
    public required TimeSpan Edge { get; init; }

    public required LatencyTolerance Tolerance { get; init; }

    /// <summary>
    /// The stall of real time a loaded machine shows now and then (a process descheduled for half a second), which a
    /// comparison must survive: at a time scale of 0.1 it is 5 s of scenario time.
    /// </summary>
    public static readonly TimeSpan MachineStall = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Latency differences that grow with the latency: the live side's per-hop work and timer lateness once per
    /// attempt, and the backoff waits, which the two runs draw from different streams (each wait n is uniform over a
    /// range as wide as its lower bound).
    /// </summary>
    public const double RelativeTolerance = 0.1;

    /// <summary>
    /// The options for a live run against a simulated one at <paramref name="timeScale"/>: a stall of
    /// <paramref name="stall"/> real time (<see cref="MachineStall"/> by default) becomes both the edge at the end and
    /// the absolute tolerance, in scenario time; the relative tolerance is <see cref="RelativeTolerance"/>.
    /// </summary>
    public static ComparisonOptions ForLiveRun(TimeSpan duration, double timeScale, TimeSpan? stall = null)
    {
        if (!(timeScale > 0)) throw new ArgumentOutOfRangeException(nameof(timeScale), timeScale, "The time scale must be positive.");
        var inScenarioTime = (stall ?? MachineStall) / timeScale;
        return new ComparisonOptions
        {
            Duration = duration,
            Edge = inScenarioTime,
            Tolerance = new LatencyTolerance(inScenarioTime, RelativeTolerance),
        };
    }
}

/// <summary>One kind of push ending: delivered or failed, with which code, after how many attempts.</summary>
public readonly record struct OutcomeClass(PushResult Result, ConnectCode Code, int Attempts) : IComparable<OutcomeClass>
{
    public int CompareTo(OutcomeClass other)
    {
        int byResult = Result.CompareTo(other.Result);
        if (byResult != 0) return byResult;
        int byCode = string.CompareOrdinal(ConnectCodes.Name(Code), ConnectCodes.Name(other.Code));
        return byCode != 0 ? byCode : Attempts.CompareTo(other.Attempts);
    }

    public override string ToString() => $"{Result.ToString().ToLowerInvariant()} {ConnectCodes.Name(Code)} after {Attempts}";
}

/// <summary>How many pushes of each kind one side had, and the other, where they differ.</summary>
public sealed record OutcomeDifference(OutcomeClass Outcome, long Simulated, long Live);

/// <summary>One latency quantile on both sides and whether they agree within the tolerance.</summary>
public sealed record QuantileComparison(string Name, TimeSpan Simulated, TimeSpan Live, TimeSpan Margin)
{
    public TimeSpan Difference => Live - Simulated;

    public bool Agrees => Difference.Duration() <= Margin;
}

/// <summary>One run's pushes to one writer endpoint, as the comparison sees them.</summary>
public sealed record ComparedSide
{
    /// <summary>Pushes that finished here and whose counterpart finished in the other run: the ones compared.</summary>
    public required long Compared { get; init; }

    /// <summary>
    /// Pushes left out: in flight at the end here or in the other run, or made by this run alone within the edge of
    /// the end.
    /// </summary>
    public required long LeftOut { get; init; }

    /// <summary>Finished pushes this run alone made, before the edge of the end: each one a disagreement.</summary>
    public required long Unmatched { get; init; }

    /// <summary>Compared pushes by (result, code, attempts), in <see cref="OutcomeClass"/> order.</summary>
    public required IReadOnlyDictionary<OutcomeClass, long> Outcomes { get; init; }

    /// <summary>Compared pushes by result and code (<c>delivered ok</c>, <c>failed deadline_exceeded</c>), ordinal order.</summary>
    public IReadOnlyDictionary<string, long> ByCode => new SortedDictionary<string, long>(
        Outcomes.GroupBy(o => $"{o.Key.Result.ToString().ToLowerInvariant()} {ConnectCodes.Name(o.Key.Code)}")
            .ToDictionary(g => g.Key, g => g.Sum(o => o.Value)), StringComparer.Ordinal);

    /// <summary>Compared pushes by the number of attempts they made.</summary>
    public IReadOnlyDictionary<int, long> ByAttempts => new SortedDictionary<int, long>(
        Outcomes.GroupBy(o => o.Key.Attempts).ToDictionary(g => g.Key, g => g.Sum(o => o.Value)));

    /// <summary>Nearest-rank p50, p90, p99 and max of the compared pushes' latency; empty when none.</summary>
    public required IReadOnlyList<(string Name, TimeSpan Value)> Latency { get; init; }
}

/// <summary>One writer endpoint in both runs, and every way they disagree.</summary>
public sealed record EndpointComparison
{
    public required string Writer { get; init; }

    public required string Endpoint { get; init; }

    public required ComparedSide Simulated { get; init; }

    public required ComparedSide Live { get; init; }

    /// <summary>Outcome classes whose counts differ (empty when the multisets are equal).</summary>
    public required IReadOnlyList<OutcomeDifference> OutcomeDifferences { get; init; }

    /// <summary>Empty when either side compared no push (then there is nothing to hold latencies against).</summary>
    public required IReadOnlyList<QuantileComparison> Quantiles { get; init; }

    /// <summary>
    /// Compared pushes whose counterpart ended another way. Not part of the verdict: equivalent agents may swap
    /// places (which of them got the last connection slot is a race), leaving the multiset the same.
    /// </summary>
    public required long PairsDiffering { get; init; }

    public bool OutcomesAgree => OutcomeDifferences.Count == 0 && Simulated.Unmatched == 0 && Live.Unmatched == 0;

    public bool LatencyAgrees => Quantiles.All(q => q.Agrees);

    public bool Agrees => OutcomesAgree && LatencyAgrees;
}

/// <summary>
/// A simulated and a live run of one scenario, side by side per writer endpoint. Pushes are paired by what stays the
/// same across the runs, (writer, endpoint, source, how many pushes that source had made there before), never by id or
/// exact time. The runs agree when, for every endpoint, the pairs that finished in both runs have equal multisets of
/// (result, code, attempts), no push that finished before the edge of the end is missing from the other run, and
/// the latency quantiles (p50, p90, p99, max) of the compared pushes are within the tolerance.
/// </summary>
public sealed record RunComparison
{
    private static readonly (string Name, double P)[] QuantilePoints = [("p50", 0.50), ("p90", 0.90), ("p99", 0.99), ("max", 1.0)];

    public required ComparisonOptions Options { get; init; }

    /// <summary>Every writer endpoint either run pushed to, ordered by writer then endpoint (ordinal).</summary>
    public required IReadOnlyList<EndpointComparison> Endpoints { get; init; }

    public bool Agrees => Endpoints.All(e => e.Agrees);

    /// <summary>Every disagreement, one line each (<c>w2 → url: failed deadline_exceeded after 1: simulated 1, live 2</c>); empty when they agree.</summary>
    public IEnumerable<string> Disagreements()
    {
        foreach (var e in Endpoints)
        {
            string at = $"{e.Writer} → {e.Endpoint}";
            foreach (var d in e.OutcomeDifferences) yield return $"{at}: {d.Outcome}: simulated {d.Simulated}, live {d.Live}";
            if (e.Simulated.Unmatched > 0) yield return $"{at}: {e.Simulated.Unmatched} finished pushes only the simulated run made";
            if (e.Live.Unmatched > 0) yield return $"{at}: {e.Live.Unmatched} finished pushes only the live run made";
            foreach (var q in e.Quantiles.Where(q => !q.Agrees))
                yield return $"{at}: latency {q.Name}: simulated {Seconds(q.Simulated)}, live {Seconds(q.Live)}, more than {Seconds(q.Margin)} apart";
        }
    }

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.000 s", System.Globalization.CultureInfo.InvariantCulture);

    public static RunComparison Compare(IEnumerable<PushOutcome> simulated, IEnumerable<PushOutcome> live, ComparisonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var edge = Instant.FromTimeSpan(options.Duration - options.Edge);
        var sim = simulated.ToLookup(p => (p.Writer, p.Endpoint));
        var real = live.ToLookup(p => (p.Writer, p.Endpoint));
        var keys = sim.Select(g => g.Key).Union(real.Select(g => g.Key))
            .OrderBy(k => k.Writer, StringComparer.Ordinal).ThenBy(k => k.Endpoint, StringComparer.Ordinal);
        return new RunComparison { Options = options, Endpoints = [.. keys.Select(k => Endpoint(k.Writer, k.Endpoint, sim[k], real[k], edge, options.Tolerance))] };
    }

    private static EndpointComparison Endpoint(string writer, string endpoint, IEnumerable<PushOutcome> simulated, IEnumerable<PushOutcome> live,
        Instant edge, LatencyTolerance tolerance)
    {
        var simSide = new SideTally();
        var liveSide = new SideTally();
        long differing = 0;
        var simBySource = BySourceInOrder(simulated);
        var liveBySource = BySourceInOrder(live);
        foreach (string source in simBySource.Keys.Union(liveBySource.Keys))
        {
            var s = simBySource.GetValueOrDefault(source) ?? [];
            var l = liveBySource.GetValueOrDefault(source) ?? [];
            for (int i = 0; i < Math.Max(s.Count, l.Count); i++)
            {
                if (i >= s.Count) liveSide.Alone(l[i], edge);
                else if (i >= l.Count) simSide.Alone(s[i], edge);
                else if (s[i].Result == PushResult.InFlight || l[i].Result == PushResult.InFlight)
                {
                    simSide.LeftOut++;
                    liveSide.LeftOut++;
                }
                else
                {
                    var (a, b) = (simSide.Add(s[i]), liveSide.Add(l[i]));
                    if (a != b) differing++;
                }
            }
        }
        var (simSummary, liveSummary) = (simSide.Summarize(), liveSide.Summarize());
        return new EndpointComparison
        {
            Writer = writer,
            Endpoint = endpoint,
            Simulated = simSummary,
            Live = liveSummary,
            OutcomeDifferences = Differences(simSummary.Outcomes, liveSummary.Outcomes),
            Quantiles = simSide.Latency.Count == 0 || liveSide.Latency.Count == 0
                ? []
                : [.. QuantilePoints.Select(q =>
                {
                    var expected = simSide.Latency.Quantile(q.P);
                    return new QuantileComparison(q.Name, expected, liveSide.Latency.Quantile(q.P), tolerance.Around(expected));
                })],
            PairsDiffering = differing,
        };
    }

    /// <summary>Each source's pushes in the order they started (the order records name for pushes that start together).</summary>
    private static Dictionary<string, List<PushOutcome>> BySourceInOrder(IEnumerable<PushOutcome> pushes) =>
        pushes.GroupBy(p => p.Source, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(p => p.Start).ToList(), StringComparer.Ordinal);

    private static List<OutcomeDifference> Differences(IReadOnlyDictionary<OutcomeClass, long> simulated, IReadOnlyDictionary<OutcomeClass, long> live) =>
        [.. simulated.Keys.Union(live.Keys).Order()
            .Select(o => new OutcomeDifference(o, simulated.GetValueOrDefault(o), live.GetValueOrDefault(o)))
            .Where(d => d.Simulated != d.Live)];

    private sealed class SideTally
    {
        private readonly SortedDictionary<OutcomeClass, long> outcomes = [];
        private long unmatched;

        public DurationSamples Latency { get; } = new();

        public long LeftOut { get; set; }

        public OutcomeClass Add(PushOutcome push)
        {
            var outcome = new OutcomeClass(push.Result, push.Code, push.Attempts);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            Latency.Add(push.Latency);
            return outcome;
        }

        /// <summary>A push the other run never started: expected only in flight or at the very end.</summary>
        public void Alone(PushOutcome push, Instant edge)
        {
            if (push.Result == PushResult.InFlight || push.Start >= edge) LeftOut++;
            else unmatched++;
        }

        public ComparedSide Summarize() => new()
        {
            Compared = Latency.Count,
            LeftOut = LeftOut,
            Unmatched = unmatched,
            Outcomes = outcomes,
            Latency = Latency.Count == 0 ? [] : [.. QuantilePoints.Select(q => (q.Name, Latency.Quantile(q.P)))],
        };
    }
}
