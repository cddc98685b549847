namespace PipelineSim.Scenarios;

/// <summary>
/// A value given on the command line in place of the file's, by the dotted path that problem messages print:
/// <c>components.w1.endpoints[0].remote_timeout=30s</c>. It replaces the value in the YAML before the scenario is
/// read, so it is parsed and validated exactly as if it had been written in the file, defaults and all; a key the
/// file leaves out (to take its default) can be set too, as long as the mapping it belongs to is there.
/// </summary>
public sealed record ScenarioOverride(string Path, string Value)
{
    /// <summary>Reads <c>PATH=VALUE</c>; the value may contain further <c>=</c> signs.</summary>
    public static bool TryParse(string text, out ScenarioOverride? value, out string error)
    {
        value = null;
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            error = $"'{text}' is not PATH=VALUE, such as components.w1.endpoints[0].remote_timeout=30s";
            return false;
        }
        string path = text[..equals].Trim();
        if (OverridePath.TryParse(path, out _, out error) is false) return false;
        value = new ScenarioOverride(path, text[(equals + 1)..].Trim());
        return true;
    }
}

/// <summary>One step of an override path: a mapping key, or an index into a list.</summary>
internal readonly record struct PathStep(string? Key, int Index)
{
    public bool IsIndex => Key is null;
}

/// <summary>The grammar of override paths: keys separated by dots, each optionally followed by <c>[i]</c> indexes.</summary>
internal static class OverridePath
{
    public static bool TryParse(string path, out IReadOnlyList<PathStep> steps, out string error)
    {
        var parsed = new List<PathStep>();
        steps = parsed;
        error = "";
        if (path.Length == 0)
        {
            error = "the path is empty";
            return false;
        }
        foreach (string segment in path.Split('.'))
        {
            int bracket = segment.IndexOf('[', StringComparison.Ordinal);
            string key = bracket < 0 ? segment : segment[..bracket];
            if (key.Length == 0)
            {
                error = $"'{path}': every step of the path needs a key before its index (components.w1.endpoints[0].url)";
                return false;
            }
            parsed.Add(new PathStep(key, 0));
            string rest = bracket < 0 ? "" : segment[bracket..];
            while (rest.Length > 0)
            {
                int close = rest.IndexOf(']', StringComparison.Ordinal);
                if (rest[0] != '[' || close < 0 || !int.TryParse(rest[1..close], System.Globalization.NumberStyles.None,
                        System.Globalization.CultureInfo.InvariantCulture, out int index))
                {
                    error = $"'{path}': '{segment}' has an index that is not [N] with N a whole number from 0";
                    return false;
                }
                parsed.Add(new PathStep(null, index));
                rest = rest[(close + 1)..];
            }
        }
        return true;
    }
}
