using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using PipelineSim.Analysis.Statistics;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Planning;

/// <summary>What an SLO measures, over the first-hop pushes that travel through the planned receiver.</summary>
public enum SloMetric
{
    /// <summary>Delivered pushes over judged pushes (see <see cref="CellResult.Judged"/>); a ratio, higher is better.</summary>
    Delivered,

    LatencyP50,
    LatencyP90,
    LatencyP99,

    /// <summary>Judged pushes not delivered per run (failed, or late and still in flight at the end); a count, lower is better.</summary>
    Failed,
}

/// <summary>
/// A service-level objective a sweep point must meet with confidence: <c>delivered&gt;=99.9%</c>, <c>p99&lt;2s</c>,
/// <c>failed&lt;=0</c>. A ratio must stay at or above its threshold, a latency or a count at or below it, so each
/// metric accepts only the comparisons that point its way. The point meets the SLO when the whole 95% confidence
/// interval is on the good side of the threshold, not merely the estimate.
/// </summary>
/// <param name="Threshold">In the metric's unit: a fraction, seconds, or a count.</param>
/// <param name="ThresholdText">The threshold as written (<c>99.9%</c>, <c>2s</c>), kept so the SLO prints as given.</param>
public sealed record Slo(SloMetric Metric, bool Strict, double Threshold, string ThresholdText)
{
    /// <summary>The metric's name as written: <c>delivered</c>, <c>p50</c>, <c>p90</c>, <c>p99</c>, <c>failed</c>.</summary>
    public string Key => Metric switch
    {
        SloMetric.Delivered => "delivered",
        SloMetric.LatencyP50 => "p50",
        SloMetric.LatencyP90 => "p90",
        SloMetric.LatencyP99 => "p99",
        _ => "failed",
    };

    /// <summary>Higher values are better (a ratio), so the threshold is a floor.</summary>
    public bool IsFloor => Metric == SloMetric.Delivered;

    public bool IsLatency => Metric is SloMetric.LatencyP50 or SloMetric.LatencyP90 or SloMetric.LatencyP99;

    /// <summary>The quantile level of a latency SLO.</summary>
    public double Quantile => Metric switch
    {
        SloMetric.LatencyP50 => 0.5,
        SloMetric.LatencyP90 => 0.9,
        SloMetric.LatencyP99 => 0.99,
        _ => throw new InvalidOperationException($"{Key} is not a latency quantile."),
    };

    public string Operator => (IsFloor, Strict) switch
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
        _ => $"{Key} latency",
    };

    /// <summary>True when the whole interval lies on the good side of the threshold.</summary>
    public bool IsMetBy(ConfidenceInterval interval) => (IsFloor, Strict) switch
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
        _ => value.ToString("0.000", CultureInfo.InvariantCulture) + " s",
    };

    /// <summary>The canonical text, which <see cref="TryParse"/> reads back to an equal SLO: <c>delivered&gt;=99.9%</c>.</summary>
    public override string ToString() => Key + Operator + ThresholdText;

    /// <summary>
    /// Reads <c>metric op value</c>, spaces allowed: <c>delivered</c> (or <c>delivered_ratio</c>) with <c>&gt;=</c> or
    /// <c>&gt;</c> and a percentage or a fraction in (0, 1]; <c>p50</c>, <c>p90</c>, <c>p99</c> with <c>&lt;</c> or
    /// <c>&lt;=</c> and a Go duration; <c>failed</c> with <c>&lt;</c> or <c>&lt;=</c> and a whole number.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Slo? slo, out string error)
    {
        slo = null;
        string compact = string.Concat((text ?? "").Where(c => !char.IsWhiteSpace(c)));
        int op = compact.IndexOfAny(['<', '>', '=', '!']);
        if (op <= 0)
        {
            error = $"'{text}' is not an SLO such as delivered>=99.9% or p99<2s";
            return false;
        }
        string name = compact[..op].ToLowerInvariant();
        int opLength = op + 1 < compact.Length && compact[op + 1] == '=' ? 2 : 1;
        string comparison = compact.Substring(op, opLength);
        string value = compact[(op + opLength)..];

        SloMetric? metric = name switch
        {
            "delivered" or "delivered_ratio" => SloMetric.Delivered,
            "p50" => SloMetric.LatencyP50,
            "p90" => SloMetric.LatencyP90,
            "p99" => SloMetric.LatencyP99,
            "failed" => SloMetric.Failed,
            _ => null,
        };
        if (metric is null)
        {
            error = $"'{text}': unknown metric '{name}' (use delivered, p50, p90, p99 or failed)";
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
