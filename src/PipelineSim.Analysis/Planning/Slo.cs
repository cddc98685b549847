using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using PipelineSim.Analysis.Statistics;
using PipelineSim.Core.Time;
using PipelineSim.Scenarios.Expect;
using ExpectComparison = PipelineSim.Scenarios.Expect.Comparison;

namespace PipelineSim.Analysis.Planning;

/// <summary>What an SLO measures, over the first-hop pushes that travel through the planned receiver.</summary>
public enum SloMetric
{
    /// <summary>Delivered pushes over judged pushes (see <see cref="CellResult.Judged"/>); a ratio, higher is better.</summary>
    Delivered,

    LatencyP50,
    LatencyP90,
    LatencyP95,
    LatencyP99,

    /// <summary>Judged pushes not delivered per run (failed, or late and still in flight at the end); a count, lower is better.</summary>
    Failed,

    /// <summary>
    /// An assertion in the scenario <c>expect:</c> language (<c>w2.pushes.failed == 0</c>), computed per run: the
    /// interval is of its left side minus its right side, which must stand in the claim's comparison to 0.
    /// </summary>
    Claim,
}

/// <summary>
/// A service-level objective a sweep point must meet with confidence: <c>delivered&gt;=99.9%</c>, <c>p99&lt;2s</c>,
/// <c>failed&lt;=0</c>, or a claim in the <c>expect:</c> language such as <c>w2.pushes.failed == 0</c>. A ratio must
/// stay at or above its threshold, a latency or a count at or below it, so each metric accepts only the comparisons
/// that point its way. The point meets the SLO when the whole 95% confidence interval is on the good side of the
/// threshold, not merely the estimate.
/// </summary>
/// <param name="Threshold">In the metric's unit: a fraction, seconds, or a count; 0 for a claim (its sides' difference is compared to 0).</param>
/// <param name="ThresholdText">The threshold as written (<c>99.9%</c>, <c>2s</c>), kept so the SLO prints as given; a claim's whole text.</param>
public sealed record Slo(SloMetric Metric, bool Strict, double Threshold, string ThresholdText)
{
    /// <summary>A claim's comparison, read from its text (the <c>expect:</c> grammar has exactly one).</summary>
    public ExpectComparison ClaimComparison { get; init; }

    /// <summary>
    /// A claim parsed against the scenario's names (<see cref="Bind"/>), which the planner evaluates on each run; null
    /// for other metrics, and for a claim read back from a plan file (its per-run values are in the file).
    /// </summary>
    public PlanClaim? Claim { get; init; }

    public bool IsClaim => Metric == SloMetric.Claim;

    /// <summary>The metric's name as written: <c>delivered</c>, <c>p50</c>, <c>p90</c>, <c>p95</c>, <c>p99</c>, <c>failed</c>; <c>claim</c> for a claim (in column and file names).</summary>
    public string Key => Metric switch
    {
        SloMetric.Delivered => "delivered",
        SloMetric.LatencyP50 => "p50",
        SloMetric.LatencyP90 => "p90",
        SloMetric.LatencyP95 => "p95",
        SloMetric.LatencyP99 => "p99",
        SloMetric.Claim => "claim",
        _ => "failed",
    };

    /// <summary>Higher values are better (a ratio), so the threshold is a floor.</summary>
    public bool IsFloor => Metric == SloMetric.Delivered || (IsClaim && ClaimComparison is ExpectComparison.Greater or ExpectComparison.GreaterOrEqual);

    public bool IsLatency => Metric is SloMetric.LatencyP50 or SloMetric.LatencyP90 or SloMetric.LatencyP95 or SloMetric.LatencyP99;

    /// <summary>The quantile level of a latency SLO.</summary>
    public double Quantile => Metric switch
    {
        SloMetric.LatencyP50 => 0.5,
        SloMetric.LatencyP90 => 0.9,
        SloMetric.LatencyP95 => 0.95,
        SloMetric.LatencyP99 => 0.99,
        _ => throw new InvalidOperationException($"{Key} is not a latency quantile."),
    };

    public string Operator => IsClaim ? ClaimComparison switch
    {
        ExpectComparison.Less => "<",
        ExpectComparison.LessOrEqual => "<=",
        ExpectComparison.Greater => ">",
        ExpectComparison.GreaterOrEqual => ">=",
        ExpectComparison.Equal => "==",
        _ => "!=",
    } : (IsFloor, Strict) switch
    {
        (true, true) => ">",
        (true, false) => ">=",
        (false, true) => "<",
        (false, false) => "<=",
    };

    /// <summary>What the interval is of: "delivered ratio", "p99 latency", "undelivered pushes per run".</summary>
    public string Description => Metric switch
    {
        SloMetric.Delivered => "delivered ratio",
        SloMetric.Failed => "undelivered pushes per run",
        SloMetric.Claim => $"left minus right side of {ThresholdText}",
        _ => $"{Key} latency",
    };

    /// <summary>
    /// True when the whole interval lies on the good side of the threshold. For a claim the interval is of its left
    /// side minus its right side, compared to 0 as <see cref="Expectation.Holds"/> compares (equal within 1e-9): both
    /// ends for <c>==</c>, either end clear of 0 for <c>!=</c>.
    /// </summary>
    public bool IsMetBy(ConfidenceInterval interval) => IsClaim ? ClaimComparison switch
    {
        ExpectComparison.Less or ExpectComparison.LessOrEqual => Expectation.Compare(ClaimComparison, interval.Upper, 0),
        ExpectComparison.Greater or ExpectComparison.GreaterOrEqual => Expectation.Compare(ClaimComparison, interval.Lower, 0),
        ExpectComparison.Equal => Expectation.Compare(ExpectComparison.Equal, interval.Lower, 0) && Expectation.Compare(ExpectComparison.Equal, interval.Upper, 0),
        _ => Expectation.Compare(ExpectComparison.Greater, interval.Lower, 0) || Expectation.Compare(ExpectComparison.Less, interval.Upper, 0),
    } : (IsFloor, Strict) switch
    {
        (true, true) => interval.Lower > Threshold,
        (true, false) => interval.Lower >= Threshold,
        (false, true) => interval.Upper < Threshold,
        (false, false) => interval.Upper <= Threshold,
    };

    /// <summary>A value of this SLO's metric as people read it: <c>99.93%</c>, <c>1.234 s</c>, <c>3.5</c>.</summary>
    public string FormatValue(double value) => Metric switch
    {
        _ when double.IsInfinity(value) => value > 0 ? "+inf" : "-inf",
        SloMetric.Delivered => (value * 100).ToString("0.###", CultureInfo.InvariantCulture) + "%",
        SloMetric.Failed => value.ToString("0.##", CultureInfo.InvariantCulture),
        SloMetric.Claim => value.ToString("0.###", CultureInfo.InvariantCulture),
        _ => value.ToString("0.000", CultureInfo.InvariantCulture) + " s",
    };

    /// <summary>
    /// How far the interval's worse end, the one that decided whether the SLO is met, lies on the good side of the
    /// threshold (negative: on the bad side); null for a claim of <c>==</c> or <c>!=</c>, which has no side.
    /// </summary>
    public double? Headroom(ConfidenceInterval interval) => IsClaim && ClaimComparison is ExpectComparison.Equal or ExpectComparison.NotEqual
        ? null
        : IsFloor ? interval.Lower - Threshold : Threshold - interval.Upper;

    /// <summary>The canonical text, which <see cref="TryParse"/> reads back to an equal SLO: <c>delivered&gt;=99.9%</c>, or a claim as written.</summary>
    public override string ToString() => IsClaim ? ThresholdText : Key + Operator + ThresholdText;

    /// <summary>Equal metric and threshold as written; a claim's binding to a scenario (<see cref="Claim"/>) does not count.</summary>
    public bool Equals(Slo? other) => other is not null && Metric == other.Metric && Strict == other.Strict
        && Threshold.Equals(other.Threshold) && ThresholdText == other.ThresholdText;

    public override int GetHashCode() => HashCode.Combine(Metric, Strict, Threshold, ThresholdText);

    /// <summary>
    /// This SLO ready to be evaluated on runs of the scenario whose names are <paramref name="kinds"/>: a claim parsed
    /// and checked as <c>expect:</c> is (unknown component or metric, mismatched units); any other SLO as it is.
    /// </summary>
    public Slo? Bind(IReadOnlyDictionary<string, string> kinds, out string error)
    {
        error = "";
        if (!IsClaim) return this;
        if (!Expectation.TryParse(ThresholdText, kinds, "--slo", out var claim, out string problem))
        {
            error = $"'{ThresholdText}': {problem}";
            return null;
        }
        return this with { Claim = new PlanClaim(claim, kinds) };
    }

    /// <summary>
    /// Reads <c>metric op value</c>, spaces allowed: <c>delivered</c> (or <c>delivered_ratio</c>) with <c>&gt;=</c> or
    /// <c>&gt;</c> and a percentage or a fraction in (0, 1]; <c>p50</c>, <c>p90</c>, <c>p95</c>, <c>p99</c> with
    /// <c>&lt;</c> or <c>&lt;=</c> and a Go duration; <c>failed</c> with <c>&lt;</c> or <c>&lt;=</c> and a whole number.
    /// Anything else naming a <c>component.metric</c> is a claim in the <c>expect:</c> language, kept as written with
    /// its comparison; its names are checked against a scenario by <see cref="Bind"/>.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Slo? slo, out string error)
    {
        slo = null;
        string compact = string.Concat((text ?? "").Where(c => !char.IsWhiteSpace(c)));
        int op = compact.IndexOfAny(['<', '>', '=', '!']);
        if (op <= 0)
        {
            error = $"'{text}' is not an SLO such as delivered>=99.9%, p99<2s or w2.pushes.failed == 0";
            return false;
        }
        string name = compact[..op].ToLowerInvariant();
        // A metric reference (component.metric) makes the text a claim in the expect: language; "p99.9" is a quantile
        // the planner does not keep, not a component named p99.
        bool quantile = name.Length > 1 && name[0] == 'p' && char.IsAsciiDigit(name[1]);
        if (!IsMetricName(name) && !quantile && compact.Contains('.', StringComparison.Ordinal)) return TryParseClaim(text!.Trim(), out slo, out error);
        int opLength = op + 1 < compact.Length && compact[op + 1] == '=' ? 2 : 1;
        string comparison = compact.Substring(op, opLength);
        string value = compact[(op + opLength)..];

        SloMetric? metric = name switch
        {
            "delivered" or "delivered_ratio" => SloMetric.Delivered,
            "p50" => SloMetric.LatencyP50,
            "p90" => SloMetric.LatencyP90,
            "p95" => SloMetric.LatencyP95,
            "p99" => SloMetric.LatencyP99,
            "failed" => SloMetric.Failed,
            _ => null,
        };
        if (metric is null)
        {
            error = $"'{text}': unknown metric '{name}' (use delivered, p50, p90, p95, p99 or failed, or a claim such as w2.pushes.failed == 0)";
            return false;
        }
        bool floor = metric == SloMetric.Delivered;
        bool? strict = (comparison, floor) switch
        {
            (">", true) or ("<", false) => true,
            (">=", true) or ("<=", false) => false,
            _ => null,
        };
        if (strict is null)
        {
            error = floor
                ? $"'{text}': a delivered ratio is kept above a floor: use >= or >"
                : $"'{text}': {name} is kept below a ceiling: use < or <=";
            return false;
        }

        if (!TryParseThreshold(metric.Value, value, out double threshold, out error))
        {
            error = $"'{text}': {error}";
            return false;
        }
        slo = new Slo(metric.Value, strict.Value, threshold, value);
        return true;
    }

    private static bool IsMetricName(string name) => name is "delivered" or "delivered_ratio" or "p50" or "p90" or "p95" or "p99" or "failed";

    private static readonly (string Symbol, ExpectComparison Comparison)[] Comparisons =
    [
        ("<=", ExpectComparison.LessOrEqual), (">=", ExpectComparison.GreaterOrEqual), ("==", ExpectComparison.Equal), ("!=", ExpectComparison.NotEqual),
        ("<", ExpectComparison.Less), (">", ExpectComparison.Greater),
    ];

    /// <summary>
    /// Reads a claim's one comparison; its sides are checked against a scenario by <see cref="Bind"/>. The expect:
    /// grammar uses <c>&lt; &gt; = !</c> only in comparisons, so finding them in the text is exact.
    /// </summary>
    private static bool TryParseClaim(string text, [NotNullWhen(true)] out Slo? slo, out string error)
    {
        slo = null;
        var found = new List<(int At, string Symbol, ExpectComparison Comparison)>();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] is not ('<' or '>' or '=' or '!')) continue;
            var match = Comparisons.FirstOrDefault(c => string.CompareOrdinal(text, i, c.Symbol, 0, c.Symbol.Length) == 0);
            if (match.Symbol is null)
            {
                error = $"'{text}': '{text[i]}' at character {i + 1} is not a comparison (use <, <=, >, >=, == or !=)";
                return false;
            }
            found.Add((i, match.Symbol, match.Comparison));
            i += match.Symbol.Length - 1;
        }
        if (found.Count != 1)
        {
            error = $"'{text}': a claim compares two sides once, as in w2.pushes.failed == 0; found {found.Count} comparisons";
            return false;
        }
        var (at, symbol, comparison) = found[0];
        if (at == 0 || at + symbol.Length >= text.Length || text[..at].Trim().Length == 0 || text[(at + symbol.Length)..].Trim().Length == 0)
        {
            error = $"'{text}': a claim needs a side on each side of '{symbol}'";
            return false;
        }
        error = "";
        slo = new Slo(SloMetric.Claim, comparison is ExpectComparison.Less or ExpectComparison.Greater, 0, text) { ClaimComparison = comparison };
        return true;
    }

    /// <summary>The SLOs' keys made distinct for column and file names: <c>p99</c>, then <c>p99_2</c> for a second p99 SLO.</summary>
    public static IReadOnlyList<string> DistinctKeys(IReadOnlyList<Slo> slos) =>
    [
        .. slos.Select((slo, i) => slos.Take(i).Count(s => s.Key == slo.Key) is int before && before > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{slo.Key}_{before + 1}")
            : slo.Key),
    ];

    public static Slo Parse(string text) =>
        TryParse(text, out var slo, out string error) ? slo : throw new FormatException(error);

    private static bool TryParseThreshold(SloMetric metric, string text, out double threshold, out string error)
    {
        threshold = 0;
        error = "";
        switch (metric)
        {
            case SloMetric.Delivered:
                bool percent = text.EndsWith('%');
                if (!double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out threshold))
                {
                    error = $"'{text}' is not a ratio such as 99.9% or 0.999";
                    return false;
                }
                if (percent) threshold /= 100;
                if (!(threshold > 0 && threshold <= 1))
                {
                    error = $"a delivered ratio is above 0 and at most 100%, not {text}";
                    return false;
                }
                return true;
            case SloMetric.Failed:
                if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long count))
                {
                    error = $"'{text}' is not a whole number of failed pushes";
                    return false;
                }
                threshold = count;
                return true;
            default:
                if (!GoDuration.TryParse(text, out var duration, out string durationError))
                {
                    error = $"a latency needs a unit, like 2s or 500ms ({durationError})";
                    return false;
                }
                if (duration <= TimeSpan.Zero)
                {
                    error = $"a latency threshold is positive, not {text}";
                    return false;
                }
                threshold = duration.TotalSeconds;
                return true;
        }
    }
}
