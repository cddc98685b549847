using System.Globalization;
using PipelineSim.Analysis.Statistics;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Comparison;

/// <summary>
/// How far two latencies may differ and still agree: <c>|live − simulated| ≤ Absolute + Relative × simulated</c>.
/// The absolute part is what the live run's machine added whatever the latency (how late its timers fired, divided by
/// the time scale); the relative part what grows with the latency (per-hop work once per attempt, and the backoff
/// waits, which the two runs draw from different streams).
/// </summary>
public sealed record LatencyTolerance(TimeSpan Absolute, double Relative)
{
    /// <summary>The margin allowed around <paramref name="simulated"/>.</summary>
    public TimeSpan Around(TimeSpan simulated) => Absolute + simulated.Duration() * Relative;

    public bool Allows(TimeSpan simulated, TimeSpan live) => (live - simulated).Duration() <= Around(simulated);
}

/// <summary>
/// How to line two runs of one scenario up and judge them: their common length, the edge at the end inside which one
/// run may not have started a push the other did, the level of the test on outcome shares, and how close latency
/// quantiles must be.
/// </summary>
public sealed record ComparisonOptions
{
    /// <summary>Scenario time both runs ran for.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>
    /// A push that only one run made is left out when it started this close to the end (a stall at the end can keep
    /// the other run from starting it); earlier, it counts in the outcome class "made by one run only".
    /// </summary>
    public required TimeSpan Edge { get; init; }

    public required LatencyTolerance Tolerance { get; init; }

    /// <summary>
    /// The chance, per writer endpoint, that two runs of one model are called different by the outcome test alone: it
    /// is split evenly over the endpoint's outcome classes (Bonferroni), each tested with <see cref="TwoProportionTest"/>.
    /// </summary>
    public double Level { get; init; } = DefaultLevel;

    public const double DefaultLevel = 0.01;

    /// <summary>
    /// The stall of real time a loaded machine shows now and then (a process descheduled for half a second): the edge
    /// at the end, so that a push a stall kept from starting is not a difference.
    /// </summary>
    public static readonly TimeSpan MachineStall = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The least real-time slack a latency gets, however punctual the live run's timers were: a push crosses several
    /// loopback hops and handlers, each a fraction of a millisecond to a few, which the time scale magnifies.
    /// </summary>
    public static readonly TimeSpan MinimumLateness = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// How many times the worst timer lateness a push's latency may carry: a push waits on several timers in turn (the
    /// proxy's delay each way, the backend's service time, the backoff, each hop's handler), and a loaded machine can
    /// make more than one of them late. Seen on a two-core machine under a load of 30: p99 of a two-hop push 2.3 times
    /// the worst lateness of the run's own 100 ms timer.
    /// </summary>
    public const int LateTimersPerPush = 3;

    /// <summary>
    /// Latency differences that grow with the latency: the live side's per-hop work once per attempt, and the backoff
    /// waits, which the two runs draw from different streams (each wait n is uniform over a range as wide as its lower
    /// bound).
    /// </summary>
    public const double RelativeTolerance = 0.1;

    /// <summary>
    /// The options for a live run against a simulated one at <paramref name="timeScale"/>: the latency margin is
    /// <see cref="RelativeTolerance"/> of the simulated value plus <see cref="LateTimersPerPush"/> times the live run's
    /// measured <paramref name="timerLateness"/> (real time, at least <see cref="MinimumLateness"/>) in scenario time; the edge
    /// at the end is <paramref name="stall"/> (<see cref="MachineStall"/> by default) in scenario time.
    /// </summary>
    public static ComparisonOptions ForLiveRun(TimeSpan duration, double timeScale, TimeSpan timerLateness, TimeSpan? stall = null,
        double level = DefaultLevel)
    {
        if (!(timeScale > 0)) throw new ArgumentOutOfRangeException(nameof(timeScale), timeScale, "The time scale must be positive.");
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "The level must be in (0, 1).");
        var slack = (timerLateness > MinimumLateness ? timerLateness : MinimumLateness) * LateTimersPerPush / timeScale;
        return new ComparisonOptions
        {
            Duration = duration,
            Edge = (stall ?? MachineStall) / timeScale,
            Tolerance = new LatencyTolerance(slack, RelativeTolerance),
            Level = level,
        };
    }

    /// <summary>The rule in one line, as the verdict prints it.</summary>
    public string Describe() =>
        $"outcome shares by a two-proportion test (Fisher's exact) at level {Level.ToString("0.###%", CultureInfo.InvariantCulture)} per endpoint, " +
        $"split over its outcome classes; latency quantiles within {Tolerance.Relative.ToString("0.#%", CultureInfo.InvariantCulture)} + " +
        $"{Tolerance.Absolute.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)} s beyond what each sample pins down " +
        $"({QuantileConfidence.ToString("0.##%", CultureInfo.InvariantCulture)} order-statistic intervals)";

    /// <summary>The confidence of each side's interval around each latency quantile: the level split over the four quantiles.</summary>
    public double QuantileConfidence => 1 - Level / 4;
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

/// <summary>
/// One outcome class at one endpoint on both sides: how many of each side's judged pushes ended that way, and whether
/// the two shares can be one proportion (the p-value of <see cref="TwoProportionTest"/> at least
/// <paramref name="Threshold"/>, the endpoint's level split over its classes).
/// </summary>
public sealed record OutcomeShare(string Outcome, long Simulated, long SimulatedOf, long Live, long LiveOf, double PValue, double Threshold)
{
    /// <summary>The class of pushes one run made and the other did not (before the edge of the end).</summary>
    public const string MadeByOneRunOnly = "made by one run only";

    public bool Agrees => PValue >= Threshold;

    public bool CountsDiffer => Simulated != Live;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Outcome}: simulated {Simulated:N0} of {SimulatedOf:N0}, live {Live:N0} of {LiveOf:N0} (p = {Format(PValue)}, {(Agrees ? "at least" : "below")} {Format(Threshold)})");

    private static string Format(double p) => p.ToString(p < 0.001 ? "0.0e0" : "0.####", CultureInfo.InvariantCulture);
}

/// <summary>
/// One latency quantile on both sides: the values, how far each side's sample pins the quantile down
/// (<see cref="QuantileInterval"/>; an open bound is <see cref="TimeSpan.MaxValue"/> or zero), and the margin around
/// the simulated value. They agree when the two intervals, the simulated one widened by the margin, overlap: a
/// difference the samples' own randomness explains, or the live machine's slack, is no disagreement.
/// </summary>
public sealed record QuantileComparison(string Name, TimeSpan Simulated, TimeSpan Live, TimeSpan Margin,
    (TimeSpan Lower, TimeSpan Upper) SimulatedRange, (TimeSpan Lower, TimeSpan Upper) LiveRange)
{
    public TimeSpan Difference => Live - Simulated;

    public bool Agrees =>
        LiveRange.Lower <= Saturating(SimulatedRange.Upper, Margin) && LiveRange.Upper >= SimulatedRange.Lower - Margin;

    private static TimeSpan Saturating(TimeSpan value, TimeSpan add) => value > TimeSpan.MaxValue - add ? TimeSpan.MaxValue : value + add;
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

    /// <summary>
    /// Finished pushes this run alone made, before the edge of the end (an agent that skipped a tick in one run and not
    /// the other): the outcome class <see cref="OutcomeShare.MadeByOneRunOnly"/>.
    /// </summary>
    public required long Unmatched { get; init; }

    /// <summary>The pushes whose outcome is judged: the compared ones and those this run alone made.</summary>
    public long Judged => Compared + Unmatched;

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

    /// <summary>
    /// Every outcome class either side has, in <see cref="OutcomeClass"/> order, then the pushes made by one run only
    /// when there are any; each with its two-proportion test.
    /// </summary>
    public required IReadOnlyList<OutcomeShare> Outcomes { get; init; }

    /// <summary>The outcome classes whose counts differ (empty when the multisets are equal), agreeing or not.</summary>
    public IEnumerable<OutcomeShare> OutcomeDifferences => Outcomes.Where(o => o.CountsDiffer);

    /// <summary>One run judged pushes here and the other none: no test can make that agreement.</summary>
    public bool OneSided => (Simulated.Judged == 0) != (Live.Judged == 0);

    /// <summary>Empty when either side compared no push (then there is nothing to hold latencies against).</summary>
    public required IReadOnlyList<QuantileComparison> Quantiles { get; init; }

    /// <summary>
    /// Compared pushes whose counterpart ended another way. Not part of the verdict: equivalent agents may swap
    /// places (which of them got the last connection slot is a race), leaving the multiset the same.
    /// </summary>
    public required long PairsDiffering { get; init; }

    public bool OutcomesAgree => !OneSided && Outcomes.All(o => o.Agrees);

    public bool LatencyAgrees => Quantiles.All(q => q.Agrees);

    public bool Agrees => OutcomesAgree && LatencyAgrees;
}

/// <summary>
/// A simulated and a live run of one scenario, side by side per writer endpoint. Pushes are paired by what stays the
/// same across the runs, (writer, endpoint, source, how many pushes that source had made there before), never by id or
/// exact time. Both runs draw from the scenario's randomness (different streams), so counts may differ by chance;
/// the runs agree when, for every endpoint that both pushed to, each outcome class (result, code, attempts, and "made
/// by one run only") has shares a two-proportion test cannot tell apart at the options' level, split over the classes,
/// and the latency quantiles (p50, p90, p99, max) of the compared pushes are within the tolerance.
/// </summary>
public sealed record RunComparison
{
    private static readonly (string Name, double P)[] QuantilePoints = [("p50", 0.50), ("p90", 0.90), ("p99", 0.99), ("max", 1.0)];

    public required ComparisonOptions Options { get; init; }

    /// <summary>Every writer endpoint either run pushed to, ordered by writer then endpoint (ordinal).</summary>
    public required IReadOnlyList<EndpointComparison> Endpoints { get; init; }

    public bool Agrees => Endpoints.All(e => e.Agrees);

    /// <summary>
    /// Every disagreement, one line each (<c>w2 → url: failed deadline_exceeded after 1: simulated 10 of 3,209, live 40 of
    /// 3,209 (p = 1.2e-5, below 0.0025)</c>); empty when they agree.
    /// </summary>
    public IEnumerable<string> Disagreements()
    {
        foreach (var e in Endpoints)
        {
            string at = $"{e.Writer} → {e.Endpoint}";
            if (e.OneSided)
                yield return $"{at}: only the {(e.Simulated.Judged > 0 ? "simulated" : "live")} run pushed here ({Math.Max(e.Simulated.Judged, e.Live.Judged):N0} pushes)";
            foreach (var o in e.Outcomes.Where(o => !o.Agrees)) yield return $"{at}: {o}";
            foreach (var q in e.Quantiles.Where(q => !q.Agrees))
                yield return $"{at}: latency {q.Name}: simulated {Seconds(q.Simulated)} {Range(q.SimulatedRange)}, live {Seconds(q.Live)} {Range(q.LiveRange)}, more than {Seconds(q.Margin)} apart";
        }
    }

    private static string Range((TimeSpan Lower, TimeSpan Upper) range) =>
        $"[{Seconds(range.Lower)}, {(range.Upper == TimeSpan.MaxValue ? "∞" : Seconds(range.Upper))}]";

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.000 s", CultureInfo.InvariantCulture);

    public static RunComparison Compare(IEnumerable<PushOutcome> simulated, IEnumerable<PushOutcome> live, ComparisonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var edge = Instant.FromTimeSpan(options.Duration - options.Edge);
        var sim = simulated.ToLookup(p => (p.Writer, p.Endpoint));
        var real = live.ToLookup(p => (p.Writer, p.Endpoint));
        var keys = sim.Select(g => g.Key).Union(real.Select(g => g.Key))
            .OrderBy(k => k.Writer, StringComparer.Ordinal).ThenBy(k => k.Endpoint, StringComparer.Ordinal);
        return new RunComparison { Options = options, Endpoints = [.. keys.Select(k => Endpoint(k.Writer, k.Endpoint, sim[k], real[k], edge, options))] };
    }

    private static EndpointComparison Endpoint(string writer, string endpoint, IEnumerable<PushOutcome> simulated, IEnumerable<PushOutcome> live,
        Instant edge, ComparisonOptions options)
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
            Outcomes = Shares(simSummary, liveSummary, options.Level),
            Quantiles = simSide.Latency.Count == 0 || liveSide.Latency.Count == 0
                ? []
                : [.. QuantilePoints.Select(q =>
                {
                    var expected = simSide.Latency.Quantile(q.P);
                    double confidence = options.QuantileConfidence;
                    return new QuantileComparison(q.Name, expected, liveSide.Latency.Quantile(q.P), options.Tolerance.Around(expected),
                        QuantileInterval.Of(simSide.Latency, q.P, confidence), QuantileInterval.Of(liveSide.Latency, q.P, confidence));
                })],
            PairsDiffering = differing,
        };
    }

    /// <summary>Each source's pushes in the order they started (the order records name for pushes that start together).</summary>
    private static Dictionary<string, List<PushOutcome>> BySourceInOrder(IEnumerable<PushOutcome> pushes) =>
        pushes.GroupBy(p => p.Source, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(p => p.Start).ToList(), StringComparer.Ordinal);

    /// <summary>
    /// Each outcome class's share of the judged pushes on both sides, tested at <paramref name="level"/> divided by the
    /// number of classes (Bonferroni: the chance that any class of an endpoint is called different when the model and
    /// live agree stays at most the level).
    /// </summary>
    private static List<OutcomeShare> Shares(ComparedSide simulated, ComparedSide live, double level)
    {
        var counts = simulated.Outcomes.Keys.Union(live.Outcomes.Keys).Order()
            .Select(o => (Name: o.ToString(), Simulated: simulated.Outcomes.GetValueOrDefault(o), Live: live.Outcomes.GetValueOrDefault(o)))
            .ToList();
        if (simulated.Unmatched + live.Unmatched > 0) counts.Add((OutcomeShare.MadeByOneRunOnly, simulated.Unmatched, live.Unmatched));
        double threshold = level / Math.Max(1, counts.Count);
        return [.. counts.Select(c => new OutcomeShare(c.Name, c.Simulated, simulated.Judged, c.Live, live.Judged,
            TwoProportionTest.PValue(c.Simulated, simulated.Judged, c.Live, live.Judged), threshold))];
    }

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
