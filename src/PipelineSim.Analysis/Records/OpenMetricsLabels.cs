using System.Globalization;
using System.Text;

namespace PipelineSim.Analysis.Records;

/// <summary>
/// Label sets as text without braces (<c>a="x",b="y"</c>, the form <see cref="Core.Records.MetricSample.Labels"/>
/// holds): parsed into unescaped pairs and formatted back with the escapes OpenMetrics allows in label values
/// (<c>\\</c>, <c>\"</c>, <c>\n</c>).
/// </summary>
internal static class OpenMetricsLabels
{
    public static List<KeyValuePair<string, string>> Parse(string labels) =>
        TryParse(labels, out var pairs, out string error) ? pairs : throw new FormatException($"{error}: {labels}");

    /// <summary>The unescaped pairs of <paramref name="labels"/>, or false with what is wrong with the text.</summary>
    public static bool TryParse(string labels, out List<KeyValuePair<string, string>> pairs, out string error)
    {
        pairs = [];
        error = "";
        int at = 0;
        while (at < labels.Length)
        {
            int equals = labels.IndexOf('=', at);
            if (equals < 0 || equals + 1 >= labels.Length || labels[equals + 1] != '"')
            {
                error = "not a label set";
                return false;
            }
            string name = labels[at..equals].Trim();
            var value = new StringBuilder();
            int i = equals + 2;
            for (; i < labels.Length && labels[i] != '"'; i++)
            {
                if (labels[i] == '\\' && i + 1 < labels.Length)
                {
                    i++;
                    value.Append(labels[i] == 'n' ? '\n' : labels[i]);
                }
                else value.Append(labels[i]);
            }
            if (i >= labels.Length)
            {
                error = "unterminated label value";
                return false;
            }
            pairs.Add(new(name, value.ToString()));
            at = i + 1;
            if (at < labels.Length && labels[at] == ',') at++;
        }
        return true;
    }

    public static string Format(IEnumerable<KeyValuePair<string, string>> labels)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in labels)
        {
            if (text.Length > 0) text.Append(',');
            text.Append(name).Append("=\"");
            foreach (char c in value)
            {
                switch (c)
                {
                    case '\\': text.Append("\\\\"); break;
                    case '"': text.Append("\\\""); break;
                    case '\n': text.Append("\\n"); break;
                    default: text.Append(c); break;
                }
            }
            text.Append('"');
        }
        return text.ToString();
    }

    /// <summary>A float as Go's ParseFloat reads it (<c>+Inf</c> included), or null.</summary>
    public static double? ParseFloat(string text) => text switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : null,
    };

    /// <summary>
    /// OpenMetrics' canonical form of a float label value such as <c>le</c>: shortest round-trip digits, a whole number
    /// with <c>.0</c> (<c>1.0</c>, <c>10.0</c>), <c>+Inf</c> for infinity: what client_golang's OpenMetrics encoder writes.
    /// </summary>
    public static string CanonicalFloat(double value)
    {
        if (double.IsPositiveInfinity(value)) return "+Inf";
        if (double.IsNegativeInfinity(value)) return "-Inf";
        if (double.IsNaN(value)) return "NaN";
        string text = value.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');
        return text.Contains('.') || text.Contains('e') ? text : text + ".0";
    }
}
