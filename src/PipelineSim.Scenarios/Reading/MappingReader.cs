using PipelineSim.Scenarios.Problems;
using PipelineSim.Scenarios.Yaml;

namespace PipelineSim.Scenarios.Reading;

/// <summary>
/// Reads the fields of one YAML mapping by name, reporting every problem to the shared list instead of stopping at
/// the first: a missing required key, a value of the wrong type or out of range. Every key asked for becomes a known
/// key; <see cref="Finish"/> then reports the keys nobody asked for, with the closest known key as a suggestion.
/// A getter that finds a problem returns the default (or null), so reading goes on and later fields are still checked.
/// <para>
/// A YAML null (<c>~</c>, <c>null</c> or nothing after the colon) is never taken for a value's default: a field of one
/// value that holds null is reported (<c>conn_limit: ~</c> once silently became 16384). Only a section, a mapping or a
/// list (<c>faults:</c>, <c>network:</c>, <c>middlebox:</c>), reads null as "not given", as an empty section is the
/// usual way to leave one out.
/// </para>
/// </summary>
internal sealed class MappingReader
{
    private readonly Dictionary<string, YamlEntry> _entries;
    private readonly List<string> _known = [];
    private readonly Dictionary<string, string> _otherWords = new(StringComparer.Ordinal);

    private MappingReader(YamlMapping mapping, string path, ProblemList problems)
    {
        Source = mapping;
        Path = path;
        Problems = problems;
        _entries = mapping.Entries.ToDictionary(e => e.Key.Value, StringComparer.Ordinal);
    }

    public YamlMapping Source { get; }

    public string Path { get; }

    public ProblemList Problems { get; }

    public TextPosition Start => Source.Start;

    /// <summary>A reader over <paramref name="node"/>, or null (reported) when it is not a mapping. A YAML null
    /// (<c>key:</c> with nothing after it) reads as an empty mapping.</summary>
    public static MappingReader? Open(YamlNode node, string path, ProblemList problems)
    {
        if (node is YamlMapping mapping) return new MappingReader(mapping, path, problems);
        if (node is YamlScalar { IsNull: true }) return new MappingReader(new YamlMapping(node.Start, []), path, problems);
        problems.Add(node.Start, path, $"expected a mapping (key: value pairs), found {node.Describe()}");
        return null;
    }

    public static string Child(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public static string Index(string path, int index) => $"{path}[{index}]";

    public string ChildPath(string key) => Child(Path, key);

    /// <summary>The value under <paramref name="key"/>, or null when the key is absent or its value is YAML null.</summary>
    public YamlNode? Node(string key)
    {
        if (!_known.Contains(key)) _known.Add(key);
        return _entries.TryGetValue(key, out var entry) && entry.Value is not YamlScalar { IsNull: true } ? entry.Value : null;
    }

    public bool Has(string key) => Node(key) is not null;

    /// <summary>Reports a problem on the value under <paramref name="key"/> (or on the mapping when it is absent).</summary>
    public void Report(string key, string message) =>
        Problems.Add(Node(key)?.Start ?? Start, ChildPath(key), message);

    public T Optional<T>(string key, T fallback, ValueKind<T> kind, Func<T, string?>? check = null) =>
        Read(key, kind, check, out T value) ? value : fallback;

    /// <summary>The value, or null (reported as missing, or as wrong) when there is none that is valid.</summary>
    public T? Required<T>(string key, ValueKind<T> kind, Func<T, string?>? check = null) where T : class =>
        ReadRequired(key, kind, check, out T value) ? value : null;

    public T? RequiredValue<T>(string key, ValueKind<T> kind, Func<T, string?>? check = null) where T : struct =>
        ReadRequired(key, kind, check, out T value) ? value : null;

    /// <summary>An optional value with no default: null when absent or invalid (reported).</summary>
    public T? OptionalRef<T>(string key, ValueKind<T> kind) where T : class =>
        Read(key, kind, null, out T value) ? value : null;

    /// <summary>An optional value with no default: null when absent or invalid (reported).</summary>
    public T? OptionalValue<T>(string key, ValueKind<T> kind, Func<T, string?>? check = null) where T : struct =>
        Read(key, kind, check, out T value) ? value : null;

    /// <summary>A <c>key: value</c> mapping of strings (labels, headers); empty when absent.</summary>
    public IReadOnlyDictionary<string, string> StringMap(string key)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (entryKey, value, path) in Entries(key))
        {
            if (ReadValue(value, path, Kinds.String, null, Problems, out string text)) result[entryKey.Value] = text;
        }
        return result;
    }

    /// <summary>A nested mapping; null when absent (not reported unless <paramref name="required"/>) or not a mapping.</summary>
    public MappingReader? Mapping(string key, bool required = false)
    {
        YamlNode? node = Node(key);
        if (node is null)
        {
            if (required) ReportMissing(key);
            return null;
        }
        return Open(node, ChildPath(key), Problems);
    }

    /// <summary>The items of a list with their paths (<c>key[0]</c>, ...); empty when absent or not a list
    /// (reported). A single value where a list is expected is taken as a list of one.</summary>
    public IReadOnlyList<(YamlNode Node, string Path)> Sequence(string key, bool required = false)
    {
        YamlNode? node = Node(key);
        string path = ChildPath(key);
        switch (node)
        {
            case null:
                if (required) ReportMissing(key);
                return [];
            case YamlSequence sequence:
                return sequence.Items.Select((item, i) => (item, Index(path, i))).ToList();
            case YamlMapping mapping:
                Problems.Add(mapping.Start, path, "expected a list, found a mapping");
                return [];
            default:
                return [(node, Index(path, 0))];
        }
    }

    /// <summary>The entries of a nested mapping keyed by name (<c>components: { w1: ..., r: ... }</c>), with paths.</summary>
    public IReadOnlyList<(YamlScalar Key, YamlNode Value, string Path)> Entries(string key, bool required = false)
    {
        MappingReader? nested = Mapping(key, required);
        if (nested is null) return [];
        return nested.Source.Entries.Select(e => (e.Key, e.Value, Child(nested.Path, e.Key.Value))).ToList();
    }

    /// <summary>
    /// A word users bring from elsewhere for one of ours (Alloy's <c>forward_to</c> on a source, where ours is
    /// <c>to</c>): if the key is given, <see cref="Finish"/> names the right one with <paramref name="hint"/>.
    /// </summary>
    public void OtherWord(string theirs, string hint) => _otherWords[theirs] = hint;

    /// <summary>Reports every key that no getter asked for, suggesting the nearest known key.</summary>
    public void Finish()
    {
        foreach (var entry in Source.Entries)
        {
            string key = entry.Key.Value;
            if (_known.Contains(key)) continue;
            string hint = _otherWords.TryGetValue(key, out string? word)
                ? $" ({word})"
                : Suggestions.Closest(key, _known) is { } match
                ? $" (did you mean \"{match}\"?)"
                : LooksCutAtComma(entry)
                    ? " (it looks like the rest of a value that YAML cut at a comma: quote the whole value)"
                    : $" (expected one of: {string.Join(", ", _known.Order(StringComparer.Ordinal))})";
            Problems.Add(entry.Key.Start, ChildPath(key), $"unknown key \"{key}\"{hint}");
        }
    }

    /// <summary>A key with no value that closes a parenthesis or bracket, like <c>0.5)</c> from an unquoted
    /// <c>{ profile_bytes: lognormal(60KiB, 0.5) }</c>.</summary>
    private static bool LooksCutAtComma(YamlEntry entry) =>
        entry.Key.Quoting == ScalarQuoting.Plain && entry.Value is YamlScalar { IsNull: true } && entry.Key.Value.EndsWith(')');

    private bool ReadRequired<T>(string key, ValueKind<T> kind, Func<T, string?>? check, out T value)
    {
        if (IsNullValue(key))
        {
            value = default!;
            return false;
        }
        if (Node(key) is null)
        {
            ReportMissing(key);
            value = default!;
            return false;
        }
        return Read(key, kind, check, out value);
    }

    /// <summary>Whether the key is written with a YAML null as its value; if so, reports it.</summary>
    private bool IsNullValue(string key)
    {
        if (!_entries.TryGetValue(key, out var entry) || entry.Value is not YamlScalar { IsNull: true } nothing) return false;
        if (!_known.Contains(key)) _known.Add(key);
        Problems.Add(nothing.Start, ChildPath(key),
            $"has no value ({(nothing.Value.Length == 0 ? "nothing after the colon" : $"YAML null \"{nothing.Value}\"")}): " +
            "give a value, or leave the key out to get its default");
        return true;
    }

    private void ReportMissing(string key) => Problems.Add(Start, ChildPath(key), $"missing required key \"{key}\"");

    private bool Read<T>(string key, ValueKind<T> kind, Func<T, string?>? check, out T value)
    {
        value = default!;
        if (IsNullValue(key)) return false;
        YamlNode? node = Node(key);
        if (node is null) return false;
        return ReadValue(node, ChildPath(key), kind, check, Problems, out value);
    }

    /// <summary>Reads one scalar node (a field's value or a list item) as <paramref name="kind"/>.</summary>
    public static bool ReadValue<T>(YamlNode node, string path, ValueKind<T> kind, Func<T, string?>? check, ProblemList problems, out T value)
    {
        value = default!;
        if (node is not YamlScalar scalar)
        {
            problems.Add(node.Start, path, $"expected a single value, found {node.Describe()}");
            return false;
        }
        if (!kind.TryRead(scalar, out value, out var at, out string error))
        {
            problems.Add(at, path, error);
            return false;
        }
        if (check?.Invoke(value) is { } problem)
        {
            problems.Add(scalar.Start, path, problem);
            return false;
        }
        return true;
    }
}
