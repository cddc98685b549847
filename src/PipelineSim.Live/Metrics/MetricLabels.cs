using System.Text;

namespace PipelineSim.Live.Metrics;

/// <summary>
/// A Prometheus label set, sorted by name so that equal sets have equal <see cref="Text"/>: the form
/// <see cref="Core.Records.MetricSample.Labels"/> uses (<c>component_id="r",protocol="http"</c>, no braces).
/// </summary>
public sealed class MetricLabels : IEquatable<MetricLabels>
{
    private readonly KeyValuePair<string, string>[] pairs;

    private MetricLabels(KeyValuePair<string, string>[] pairs)
    {
        this.pairs = pairs;
        Text = Format(pairs);
    }

    public static MetricLabels Empty { get; } = new([]);

    public string Text { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Pairs => pairs;

    public static MetricLabels Of(params (string Name, string Value)[] labels)
    {
        var result = Empty;
        foreach (var (name, value) in labels) result = result.With(name, value);
        return result;
    }

    /// <summary>This set plus one label (replacing a label of the same name).</summary>
    public MetricLabels With(string name, string value)
    {
        if (!IsValidName(name)) throw new ArgumentException($"\"{name}\" is not a valid label name.", nameof(name));
        var list = pairs.Where(p => p.Key != name).Append(new(name, value)).OrderBy(p => p.Key, StringComparer.Ordinal);
        return new MetricLabels(list.ToArray());
    }

    public bool Equals(MetricLabels? other) => other is not null && other.Text == Text;

    public override bool Equals(object? obj) => Equals(obj as MetricLabels);

    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Text;

    /// <summary>Prometheus label names: [a-zA-Z_][a-zA-Z0-9_]*.</summary>
    internal static bool IsValidName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static string Format(KeyValuePair<string, string>[] pairs)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in pairs)
        {
            if (text.Length > 0) text.Append(',');
            text.Append(name).Append("=\"");
            // The text format escapes exactly these three in label values.
            foreach (char c in value)
            {
                text.Append(c switch
                {
                    '\\' => "\\\\",
                    '"' => "\\\"",
                    '\n' => "\\n",
                    _ => c.ToString(),
                });
            }
            text.Append('"');
        }
        return text.ToString();
    }
}
