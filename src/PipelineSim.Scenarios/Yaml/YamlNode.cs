using PipelineSim.Scenarios.Problems;

namespace PipelineSim.Scenarios.Yaml;

/// <summary>
/// A YAML node with the place it starts in the file: the small tree the scenario reader walks, so every problem can
/// name a line and column. Aliases are resolved to the node they point at; tags are ignored.
/// </summary>
internal abstract class YamlNode(TextPosition start, int height)
{
    public TextPosition Start { get; } = start;

    /// <summary>How many lists and mappings deep the node goes: 0 for a scalar, 1 for a list of scalars.</summary>
    public int Height { get; } = height;

    /// <summary>How a problem message names this kind of node: "a mapping", "a list", "a string".</summary>
    public abstract string Describe();
}

internal enum ScalarQuoting
{
    Plain,
    SingleQuoted,
    DoubleQuoted,

    /// <summary>A literal (<c>|</c>) or folded (<c>&gt;</c>) block scalar.</summary>
    Block,
}

internal sealed class YamlScalar(TextPosition start, string value, ScalarQuoting quoting) : YamlNode(start, 0)
{
    public string Value { get; } = value;

    public ScalarQuoting Quoting { get; } = quoting;

    /// <summary>A plain <c>~</c>, <c>null</c> or nothing at all: YAML's null, as in <c>key:</c> with no value.</summary>
    public bool IsNull => Quoting == ScalarQuoting.Plain && Value is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>
    /// The position of the character at <paramref name="offset"/> in <see cref="Value"/>, so a problem inside an
    /// expression can point at its column. Exact for single-line plain and quoted scalars without escapes; block
    /// scalars and multi-line values fall back to the scalar's start.
    /// </summary>
    public TextPosition PositionAt(int offset)
    {
        if (Value.Contains('\n')) return Start;
        return Quoting switch
        {
            ScalarQuoting.Plain => Start.Advance(offset),
            ScalarQuoting.SingleQuoted or ScalarQuoting.DoubleQuoted => Start.Advance(offset + 1),
            _ => Start,
        };
    }

    public override string Describe() => IsNull ? "nothing (null)" : $"\"{Value}\"";
}

internal sealed class YamlSequence(TextPosition start, IReadOnlyList<YamlNode> items)
    : YamlNode(start, 1 + items.Select(i => i.Height).DefaultIfEmpty(0).Max())
{
    public IReadOnlyList<YamlNode> Items { get; } = items;

    public override string Describe() => "a list";
}

/// <summary>One <c>key: value</c> pair; keys are always scalars (the reader reports any other key).</summary>
internal sealed record YamlEntry(YamlScalar Key, YamlNode Value);

internal sealed class YamlMapping(TextPosition start, IReadOnlyList<YamlEntry> entries)
    : YamlNode(start, 1 + entries.Select(e => e.Value.Height).DefaultIfEmpty(0).Max())
{
    public IReadOnlyList<YamlEntry> Entries { get; } = entries;

    public override string Describe() => "a mapping";
}
