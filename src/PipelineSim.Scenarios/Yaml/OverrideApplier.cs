using PipelineSim.Scenarios.Problems;

namespace PipelineSim.Scenarios.Yaml;

/// <summary>
/// Puts command-line overrides into a scenario's YAML tree, as if the file had said them: each path is walked from
/// the root, the value at its end is replaced by the override's text (or added, when the last key is missing from a
/// mapping that is there), and the nodes on the way are copied, so the tree read from the file is never changed.
/// A path that leads nowhere is a problem reported at the deepest node it reached.
/// </summary>
internal static class OverrideApplier
{
    public static YamlNode Apply(YamlNode root, IReadOnlyList<ScenarioOverride> overrides, ProblemList problems)
    {
        foreach (var change in overrides)
        {
            if (!OverridePath.TryParse(change.Path, out var steps, out string error))
            {
                problems.Add(root.Start, change.Path, error);
                continue;
            }
            root = Replace(root, steps, 0, change, problems) ?? root;
        }
        return root;
    }

    /// <summary>A copy of <paramref name="node"/> with the value at <paramref name="steps"/>[depth..] replaced, or null (reported).</summary>
    private static YamlNode? Replace(YamlNode node, IReadOnlyList<PathStep> steps, int depth, ScenarioOverride change, ProblemList problems)
    {
        if (depth == steps.Count) return new YamlScalar(node.Start, change.Value, ScalarQuoting.Plain);
        var step = steps[depth];
        string reached = Describe(steps, depth);
        switch (node)
        {
            case YamlMapping mapping when !step.IsIndex:
            {
                int at = IndexOfKey(mapping, step.Key!);
                if (at < 0)
                {
                    if (depth < steps.Count - 1)
                    {
                        string keys = string.Join(", ", mapping.Entries.Select(e => e.Key.Value));
                        problems.Add(mapping.Start, change.Path, $"cannot set: {reached} has no \"{step.Key}\" (it has: {(keys.Length == 0 ? "nothing" : keys)})");
                        return null;
                    }
                    var added = new YamlEntry(new YamlScalar(mapping.Start, step.Key!, ScalarQuoting.Plain), new YamlScalar(mapping.Start, change.Value, ScalarQuoting.Plain));
                    return new YamlMapping(mapping.Start, [.. mapping.Entries, added]);
                }
                var entry = mapping.Entries[at];
                var value = Replace(entry.Value, steps, depth + 1, change, problems);
                if (value is null) return null;
                var entries = mapping.Entries.ToArray();
                entries[at] = entry with { Value = value };
                return new YamlMapping(mapping.Start, entries);
            }
            case YamlSequence sequence when step.IsIndex:
            {
                if (step.Index >= sequence.Items.Count)
                {
                    problems.Add(sequence.Start, change.Path, $"cannot set: {reached} has {sequence.Items.Count} item(s), so there is no [{step.Index}]");
                    return null;
                }
                var item = Replace(sequence.Items[step.Index], steps, depth + 1, change, problems);
                if (item is null) return null;
                var items = sequence.Items.ToArray();
                items[step.Index] = item;
                return new YamlSequence(sequence.Start, items);
            }
            default:
            {
                string wanted = step.IsIndex ? $"a list to take [{step.Index}] of" : $"a mapping with \"{step.Key}\"";
                problems.Add(node.Start, change.Path, $"cannot set: {reached} is {node.Describe()}, not {wanted}");
                return null;
            }
        }
    }

    private static int IndexOfKey(YamlMapping mapping, string key)
    {
        for (int i = 0; i < mapping.Entries.Count; i++)
        {
            if (mapping.Entries[i].Key.Value == key) return i;
        }
        return -1;
    }

    /// <summary>The path walked before step <paramref name="depth"/>: "components.w1", or "the scenario" at the root.</summary>
    private static string Describe(IReadOnlyList<PathStep> steps, int depth)
    {
        if (depth == 0) return "the scenario";
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < depth; i++)
        {
            if (steps[i].IsIndex) text.Append('[').Append(steps[i].Index).Append(']');
            else text.Append(i == 0 ? "" : ".").Append(steps[i].Key);
        }
        return text.ToString();
    }
}
