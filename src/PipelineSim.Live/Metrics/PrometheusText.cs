using System.Globalization;
using System.Text;

namespace PipelineSim.Live.Metrics;

/// <summary>The Prometheus text exposition format (version 0.0.4), as prometheus/common's expfmt writes it.</summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(MetricRegistry registry)
    {
        var text = new StringBuilder();
        foreach (var family in registry.Families())
        {
            text.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(TypeName(family.Type)).Append('\n');
            foreach (var series in family.Series)
            {
                foreach (var (suffix, labels, value) in series.Metric.Read(series.Labels))
                {
                    text.Append(family.Name).Append(suffix);
                    if (labels.Text.Length > 0) text.Append('{').Append(labels.Text).Append('}');
                    text.Append(' ').Append(FormatValue(value)).Append('\n');
                }
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// A sample value the way Go writes it (<c>strconv.FormatFloat(v, 'g', -1, 64)</c>): the shortest digits that
    /// round-trip, in exponent form when the decimal exponent is below -4 or at least 6 (Go's rule for the shortest
    /// form), so one million is <c>1e+06</c>; infinities and NaN as <c>+Inf</c>, <c>-Inf</c> and <c>NaN</c>.
    /// </summary>
    public static string FormatValue(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "+Inf";
        if (double.IsNegativeInfinity(value)) return "-Inf";
        if (value == 0) return double.IsNegative(value) ? "-0" : "0";

        // "R" gives the shortest round-trip digits (in either notation); read them and the exponent back out.
        (string digits, int exponent) = Decompose(Math.Abs(value).ToString("R", CultureInfo.InvariantCulture));
        var text = new StringBuilder();
        if (value < 0) text.Append('-');
        if (exponent < -4 || exponent >= 6)
        {
            text.Append(digits[0]);
            if (digits.Length > 1) text.Append('.').Append(digits, 1, digits.Length - 1);
            text.Append(exponent < 0 ? "e-" : "e+").Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        }
        else if (exponent < 0)
        {
            text.Append("0.").Append('0', -exponent - 1).Append(digits);
        }
        else
        {
            int whole = exponent + 1;
            text.Append(whole >= digits.Length ? digits.PadRight(whole, '0') : digits[..whole]);
            if (whole < digits.Length) text.Append('.').Append(digits, whole, digits.Length - whole);
        }
        return text.ToString();
    }

    /// <summary>Significant digits (no leading or trailing zeros) and the decimal exponent of the first one.</summary>
    private static (string Digits, int Exponent) Decompose(string roundTrip)
    {
        int e = roundTrip.IndexOfAny(['E', 'e']);
        string mantissa = e < 0 ? roundTrip : roundTrip[..e];
        int exponent = e < 0 ? 0 : int.Parse(roundTrip[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        int point = mantissa.IndexOf('.');
        string intPart = point < 0 ? mantissa : mantissa[..point];
        string fracPart = point < 0 ? "" : mantissa[(point + 1)..];
        string all = intPart + fracPart;
        int leadingZeros = all.Length - all.TrimStart('0').Length;
        string digits = all.Trim('0');
        // The first significant digit sits at position leadingZeros; the point sat after intPart.
        return (digits, exponent + intPart.Length - 1 - leadingZeros);
    }

    private static string TypeName(MetricType type) => type switch
    {
        MetricType.Counter => "counter",
        MetricType.Gauge => "gauge",
        _ => "histogram",
    };

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\").Replace("\n", "\\n");
}
