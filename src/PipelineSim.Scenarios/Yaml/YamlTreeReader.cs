using PipelineSim.Scenarios.Problems;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PipelineSim.Scenarios.Yaml;

/// <summary>
/// Reads one YAML document into a <see cref="YamlNode"/> tree with positions, on YamlDotNet's event parser (its Marks
/// give line and column). Structural problems are collected rather than thrown: duplicate keys, keys that are not
/// scalars, unknown aliases, a second document, and a syntax error (after which nothing more can be trusted, so the
/// tree is dropped). Aliases resolve to their anchored node and <c>&lt;&lt;</c> merge keys are applied.
/// </summary>
internal sealed class YamlTreeReader
{
    /// <summary>
    /// How deeply lists and mappings may nest: 64 levels. A scenario needs six (<c>components.w1.endpoints[0].
    /// keep_alive</c>); the bound keeps the reader's recursion, and that of everything that walks the tree, far from
    /// the stack's end, where 30,000 nested <c>[</c> once crashed the process. An alias counts with the depth of the
    /// node it stands for, so chained aliases cannot build a deeper tree either.
    /// </summary>
    public const int MaxDepth = 64;

    private const string MergeKey = "<<";

    private readonly IParser _parser;
    private readonly ProblemList _problems;
    private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);

    // Where the innermost open flow collection ("[" or "{") started: YamlDotNet's scanner fails on an unclosed one
    // with an exception that carries no position, so this is the best place to point at.
    private readonly Stack<(TextPosition Start, char Opener)> _openFlows = new();
    private TextPosition _lastEvent = new(1, 1);

    // Lists and mappings open around the node being read.
    private int _depth;

    private readonly string _text;

    private YamlTreeReader(string text, ProblemList problems)
    {
        _text = text;
        _parser = new Parser(new StringReader(text));
        _problems = problems;
    }

    /// <summary>The document's root, or null when the file is empty or has a syntax error (reported).</summary>
    public static YamlNode? Read(string text, ProblemList problems) => new YamlTreeReader(text, problems).ReadStream();

    private YamlNode? ReadStream()
    {
        try
        {
            _parser.Consume<StreamStart>();
            if (_parser.Accept<StreamEnd>(out _)) return null;
            _parser.Consume<DocumentStart>();
            YamlNode root = ReadNode();
            _parser.Consume<DocumentEnd>();
            if (_parser.Accept<DocumentStart>(out var second))
            {
                _problems.Add(PositionOf(second.Start), "", "a scenario file holds one YAML document; a second one starts here");
            }
            return root;
        }
        catch (TooDeepException e)
        {
            _problems.Add(e.At, "", $"lists and mappings nest more than {MaxDepth} levels deep here, the most a scenario file may use " +
                "(a scenario needs about six); stopped reading");
        }
        catch (YamlException e)
        {
            var position = PositionOf(e.Start);
            _problems.Add(position, "", $"YAML syntax error: {e.Message}{QuotingHint(position)}");
        }
        catch (InvalidOperationException)
        {
            if (_openFlows.TryPeek(out var open))
            {
                char closer = open.Opener == '[' ? ']' : '}';
                _problems.Add(open.Start, "", $"YAML syntax error: this '{open.Opener}' is never closed with '{closer}'");
            }
            else
            {
                _problems.Add(_lastEvent, "", "YAML syntax error: malformed YAML after this point");
            }
        }
        return null;
    }

    /// <summary>
    /// The commonest cause of "invalid mapping" in a scenario: a distribution with named arguments written unquoted,
    /// whose <c>: </c> YAML takes for a key. Said when the line has an open parenthesis before the error.
    /// </summary>
    private string QuotingHint(TextPosition position)
    {
        string[] lines = _text.Split('\n');
        if (position.Line < 1 || position.Line > lines.Length) return "";
        string line = lines[position.Line - 1];
        string before = line[..Math.Min(Math.Max(position.Column - 1, 0), line.Length)];
        return before.Contains('(') && line.Contains(": ", StringComparison.Ordinal)
            ? " (a value with \": \" inside, like lognormal(mean: 700ms, sigma: 0.4), must be quoted: \"lognormal(mean: 700ms, sigma: 0.4)\")"
            : "";
    }

    private YamlNode ReadNode()
    {
        ParsingEvent next = _parser.Current ?? throw new InvalidOperationException("unexpected end of the YAML stream");
        _lastEvent = PositionOf(next.Start);
        return next switch
        {
            AnchorAlias alias => ReadAlias(alias),
            Scalar scalar => Anchor(scalar.Anchor, ReadScalar(scalar)),
            SequenceStart start => Anchor(start.Anchor, ReadSequence(start)),
            MappingStart start => Anchor(start.Anchor, ReadMapping(start)),
            _ => throw new InvalidOperationException($"unexpected YAML event {next.GetType().Name}"),
        };
    }

    private YamlNode ReadAlias(AnchorAlias alias)
    {
        _parser.MoveNext();
        var position = PositionOf(alias.Start);
        if (_anchors.TryGetValue(alias.Value.Value, out var node))
        {
            if (_depth + node.Height > MaxDepth) throw new TooDeepException(position);
            return node;
        }
        _problems.Add(position, "", $"unknown alias *{alias.Value.Value} (no anchor &{alias.Value.Value} before it)");
        return new YamlScalar(position, "", ScalarQuoting.Plain);
    }

    private YamlScalar ReadScalar(Scalar scalar)
    {
        _parser.MoveNext();
        var quoting = scalar.Style switch
        {
            ScalarStyle.SingleQuoted => ScalarQuoting.SingleQuoted,
            ScalarStyle.DoubleQuoted => ScalarQuoting.DoubleQuoted,
            ScalarStyle.Literal or ScalarStyle.Folded => ScalarQuoting.Block,
            _ => ScalarQuoting.Plain,
        };
        return new YamlScalar(PositionOf(scalar.Start), scalar.Value, quoting);
    }

    private YamlSequence ReadSequence(SequenceStart start)
    {
        var position = PositionOf(start.Start);
        Enter(position);
        bool flow = start.Style == SequenceStyle.Flow;
        if (flow) _openFlows.Push((position, '['));
        _parser.MoveNext();
        var items = new List<YamlNode>();
        while (!_parser.TryConsume<SequenceEnd>(out _)) items.Add(ReadNode());
        if (flow) _openFlows.Pop();
        _depth--;
        return new YamlSequence(position, items);
    }

    private YamlMapping ReadMapping(MappingStart start)
    {
        var position = PositionOf(start.Start);
        Enter(position);
        bool flow = start.Style == MappingStyle.Flow;
        if (flow) _openFlows.Push((position, '{'));
        _parser.MoveNext();

        var entries = new List<YamlEntry>();
        var firstSeen = new Dictionary<string, TextPosition>(StringComparer.Ordinal);
        var merged = new List<YamlEntry>();
        while (!_parser.TryConsume<MappingEnd>(out _))
        {
            YamlNode keyNode = ReadNode();
            YamlNode value = ReadNode();
            if (keyNode is not YamlScalar key)
            {
                _problems.Add(keyNode.Start, "", $"a key must be a plain string, not {keyNode.Describe()}");
                continue;
            }
            if (key.Value == MergeKey && key.Quoting == ScalarQuoting.Plain)
            {
                CollectMerge(value, merged);
                continue;
            }
            if (firstSeen.TryGetValue(key.Value, out var first))
            {
                _problems.Add(key.Start, "", $"duplicate key \"{key.Value}\" (first given at line {first.Line})");
                continue;
            }
            firstSeen.Add(key.Value, key.Start);
            entries.Add(new YamlEntry(key, value));
        }
        if (flow) _openFlows.Pop();
        _depth--;

        // YAML merge semantics: keys written in the mapping win, and among merged mappings the first one wins.
        foreach (var entry in merged)
        {
            if (firstSeen.TryAdd(entry.Key.Value, entry.Key.Start)) entries.Add(entry);
        }
        return new YamlMapping(position, entries);
    }

    private void Enter(TextPosition at)
    {
        if (++_depth > MaxDepth) throw new TooDeepException(at);
    }

    private void CollectMerge(YamlNode value, List<YamlEntry> merged)
    {
        IEnumerable<YamlNode> sources = value is YamlSequence list ? list.Items : [value];
        foreach (var source in sources)
        {
            if (source is YamlMapping mapping) merged.AddRange(mapping.Entries);
            else _problems.Add(source.Start, "", $"a merge (<<) takes a mapping or a list of mappings, not {source.Describe()}");
        }
    }

    private YamlNode Anchor(AnchorName anchor, YamlNode node)
    {
        if (!anchor.IsEmpty) _anchors[anchor.Value] = node;
        return node;
    }

    private static TextPosition PositionOf(Mark mark) => new((int)mark.Line, (int)mark.Column);

    /// <summary>Nesting past <see cref="MaxDepth"/>: reading stops, as nothing after it can be trusted to be a scenario.</summary>
    private sealed class TooDeepException(TextPosition at) : Exception
    {
        public TextPosition At { get; } = at;
    }
}
