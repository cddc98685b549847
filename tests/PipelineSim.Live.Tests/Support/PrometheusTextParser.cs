using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PipelineSim.Live.Tests.Support;

/// <summary>One sample line of the text format.</summary>
internal sealed record ParsedSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string Label(string name) => Labels.TryGetValue(name, out var value) ? value : "";
}

/// <summary>
/// An independent reader of the Prometheus text format (0.0.4), strict enough to fail on malformed output:
/// every sample's family must have been introduced by HELP and TYPE lines.
/// </summary>
internal static partial class PrometheusTextParser
{
    public static (List<ParsedSample> Samples, Dictionary<string, string> Types) Parse(string text)
    {
        var samples = new List<ParsedSample>();
        var types = new Dictionary<string, string>();
        var helped = new HashSet<string>();
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0) continue;
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                helped.Add(line.Split(' ')[2]);
                continue;
            }
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ');
                Assert.Contains(parts[3], new[] { "counter", "gauge", "histogram", "summary", "untyped" });
                types[parts[2]] = parts[3];
                continue;
            }
            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a sample line: {line}");
            string name = match.Groups["name"].Value;
            string family = types.ContainsKey(name) ? name : Regex.Replace(name, "_(bucket|sum|count)$", "");
            Assert.True(types.ContainsKey(family) && helped.Contains(family), $"{name} has no HELP/TYPE");
            samples.Add(new ParsedSample(name, ParseLabels(match.Groups["labels"].Value), ParseValue(match.Groups["value"].Value)));
        }
        return (samples, types);
    }

    public static ParsedSample Single(IEnumerable<ParsedSample> samples, string name, params (string Label, string Value)[] labels) =>
        Assert.Single(samples, s => s.Name == name && labels.All(l => s.Label(l.Label) == l.Value));

    private static Dictionary<string, string> ParseLabels(string text)
    {
        var labels = new Dictionary<string, string>();
        int i = 0;
        while (i < text.Length)
        {
            int eq = text.IndexOf('=', i);
            string name = text[i..eq];
            Assert.Equal('"', text[eq + 1]);
            var value = new StringBuilder();
            int j = eq + 2;
            for (; text[j] != '"'; j++)
            {
                if (text[j] == '\\')
                {
                    j++;
                    value.Append(text[j] switch { 'n' => '\n', var c => c });
                }
                else value.Append(text[j]);
            }
            Assert.True(labels.TryAdd(name, value.ToString()), $"label {name} twice");
            i = j + 1;
            if (i < text.Length)
            {
                Assert.Equal(',', text[i]);
                i++;
            }
        }
        return labels;
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$""")]
    private static partial Regex SampleLine();
}
