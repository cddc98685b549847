using PipelineSim.Live.Wire;

namespace PipelineSim.Live.Writer;

/// <summary>The label rules of <c>pyroscope.write</c>'s Append path (grafana/alloy internal/component/pyroscope/write/write.go).</summary>
internal static class SeriesLabels
{
    private static readonly HashSet<string> KeptReserved = ["__name__", "__delta__"];

    /// <summary>
    /// Validates the incoming labels, drops <c>__</c>-prefixed ones except <c>__name__</c> and <c>__delta__</c>, sets
    /// the external labels over same-named ones and sorts by name. Null plus a reason when validation fails: Alloy
    /// returns that error directly, without pushing or retrying.
    /// </summary>
    public static List<LabelPair>? Prepare(IEnumerable<LabelPair> incoming, IReadOnlyDictionary<string, string> external, out string? error)
    {
        var labels = incoming.ToList();
        error = Validate(labels);
        if (error is not null) return null;
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            if (label.Name.StartsWith("__", StringComparison.Ordinal) && !KeptReserved.Contains(label.Name)) continue;
            result[label.Name] = label.Value;
        }
        foreach (var (name, value) in external) result[name] = value;
        return result.Select(pair => new LabelPair { Name = pair.Key, Value = pair.Value }).ToList();
    }

    private static string? Validate(List<LabelPair> labels)
    {
        if (labels.Count == 0) return "invalid labels: service name is required";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            if (!seen.Add(label.Name)) return $"invalid labels: duplicate label name \"{label.Name}\"";
            if (label.Name != "__name__" && !Metrics.MetricLabels.IsValidName(label.Name))
                return $"invalid labels: invalid label name \"{label.Name}\"";
        }
        return null;
    }
}
