using System.Globalization;
using PipelineSim.Alloy.Evaluation;
using PipelineSim.Alloy.Syntax;
using PipelineSim.Core.Time;

namespace PipelineSim.Alloy.Config;

/// <summary>
/// Reads the attributes of one block with Alloy's rules: an attribute given twice or a single block repeated is an
/// error; values are converted as Alloy converts them on assignment (a string that parses becomes a number:
/// <c>listen_port = "4040"</c>; durations are strings in Go syntax); a <c>--set</c> override wins; an unknown value
/// keeps the default (or its fallback) and is recorded as an assumption to check.
/// </summary>
internal sealed class BlockView
{
    private readonly PyroscopePipeline _pipeline;
    private readonly Dictionary<string, AttributeStatement> _attributes = new(StringComparer.Ordinal);

    public BlockView(PyroscopePipeline pipeline, ComponentNode component, BlockStatement block, string path)
    {
        _pipeline = pipeline;
        Component = component;
        Block = block;
        Path = path;
        foreach (var attribute in block.Body.OfType<AttributeStatement>())
        {
            if (!_attributes.TryAdd(attribute.Name, attribute))
            {
                Error(attribute.At, $"attribute \"{attribute.Name}\" may only be provided once");
            }
        }
    }

    public ComponentNode Component { get; }

    public BlockStatement Block { get; }

    /// <summary>The override path of this block: <c>pyroscope.write.w1.endpoint</c>.</summary>
    public string Path { get; }

    private Evaluator Evaluator => Component.Scope.Evaluator;

    public bool Has(string name) => _attributes.ContainsKey(name) || Override(name) is not null;

    public SourcePosition? PositionOf(string name) => _attributes.TryGetValue(name, out var a) ? a.At : null;

    public IEnumerable<string> AttributeNames => _attributes.Keys;

    public IReadOnlyList<BlockStatement> Blocks(string name) => Block.Body.OfType<BlockStatement>().Where(b => b.Name == name).ToList();

    /// <summary>A block that may appear once; a second one is Alloy's "may only be specified once" error.</summary>
    public BlockView? Single(string name)
    {
        var blocks = Blocks(name);
        for (int i = 1; i < blocks.Count; i++) Error(blocks[i].At, $"block \"{name}\" may only be specified once");
        return blocks.Count == 0 ? null : new BlockView(_pipeline, Component, blocks[0], $"{Path}.{name}");
    }

    /// <summary>As <see cref="Single"/>, but an absent block reads as an empty one, so its defaults (and any
    /// <c>--set</c> of its attributes) still apply: Alloy keeps the defaults of an omitted <c>http</c> block.</summary>
    public BlockView SingleOrEmpty(string name) =>
        Single(name) ?? new BlockView(_pipeline, Component, new BlockStatement(Block.At, name, null, null, [], Block.At), $"{Path}.{name}");

    private AlloyValue? Override(string name)
    {
        string key = $"{Path}.{name}";
        if (!_pipeline.Config.Inputs.Settings.TryGetValue(key, out var value)) return null;
        _pipeline.SettingsUsed.Add(key);
        return value;
    }

    /// <summary>The attribute's value: the override, else the evaluated expression, else null when absent.</summary>
    public AlloyValue? Value(string name)
    {
        if (Override(name) is { } set) return set;
        return _attributes.TryGetValue(name, out var attribute) ? Evaluator.Evaluate(attribute.Value) : null;
    }

    /// <summary>A known value, or for an unknown its fallback; records an assumption when it had to guess.</summary>
    private AlloyValue? Known(string name, string defaultText)
    {
        var value = Value(name);
        if (value is not UnknownValue unknown) return value;
        var at = PositionOf(name) ?? Block.At;
        if (unknown.Assumed is { } assumed)
        {
            Assume(at, $"{Path}.{name} depends on {unknown.What}; assumed {assumed.Describe()} (its fallback). " +
                $"Supply it with {Supply(unknown)}--set {Path}.{name}=VALUE");
            return assumed;
        }
        Assume(at, $"{Path}.{name} depends on {unknown.What}, unknown here; assumed {defaultText}. " +
            $"Supply it with {Supply(unknown)}--set {Path}.{name}=VALUE");
        return null;
    }

    /// <summary><c>--env NAME=VALUE or </c> when the unknown is an environment variable, else nothing.</summary>
    private static string Supply(UnknownValue unknown)
    {
        var match = System.Text.RegularExpressions.Regex.Match(unknown.What, "sys\\.env\\(\"([^\"]*)\"\\)");
        return match.Success ? $"--env {match.Groups[1].Value}=VALUE or " : "";
    }

    public TimeSpan Duration(string name, TimeSpan fallback)
    {
        var value = Known(name, $"the default {GoDuration.Format(fallback)}");
        if (value is null) return fallback;
        if (value is StringValue s && GoDuration.TryParse(s.Value, out var duration, out string error))
        {
            if (duration >= TimeSpan.Zero) return duration;
            error = "a negative duration";
        }
        else
        {
            error = value is StringValue ? $"invalid duration \"{((StringValue)value).Value}\"" : $"expected duration, got {value.Describe()}";
        }
        Error(PositionOf(name) ?? Block.At, $"{name}: {error}");
        return fallback;
    }

    public int Int(string name, int fallback)
    {
        var value = Known(name, $"the default {fallback}");
        double? number = value switch
        {
            null => null,
            NumberValue n => n.Value,
            // Alloy converts a string that parses as a number (syntax/internal/value/value.go).
            StringValue s when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) => parsed,
            _ => double.NaN,
        };
        if (number is null) return fallback;
        if (double.IsNaN(number.Value) || number.Value != Math.Floor(number.Value) || Math.Abs(number.Value) > int.MaxValue)
        {
            Error(PositionOf(name) ?? Block.At, $"{name}: expected an integer, got {value!.Describe()}");
            return fallback;
        }
        return (int)number.Value;
    }

    public bool Bool(string name, bool fallback)
    {
        var value = Known(name, fallback ? "true" : "false");
        switch (value)
        {
            case null: return fallback;
            case BoolValue b: return b.Value;
            case StringValue { Value: "true" or "false" } s: return s.Value == "true";
            default:
                Error(PositionOf(name) ?? Block.At, $"{name}: expected bool, got {value.Describe()}");
                return fallback;
        }
    }

    /// <summary>A string attribute; numbers convert to strings as in Alloy. Null when absent or unknown.</summary>
    public string? String(string name, string unknownMeans)
    {
        var value = Known(name, unknownMeans);
        return value switch
        {
            StringValue s => s.Value,
            NumberValue n => n.Describe(),
            null => null,
            _ => null,
        };
    }

    /// <summary>Reports every attribute and block of this block whose name Alloy does not accept here.</summary>
    public void CheckNames(IReadOnlyList<string> known)
    {
        foreach (var statement in Block.Body)
        {
            string name = statement switch
            {
                AttributeStatement a => a.Name,
                BlockStatement b => b.Name,
                _ => "",
            };
            if (known.Contains(name)) continue;
            string what = statement is AttributeStatement ? "attribute" : "block";
            string hint = KnownNames.Nearest(name, known) is { } near ? $" (did you mean \"{near}\"?)" : "";
            Error(statement.At, $"unrecognized {what} name \"{name}\" in {Block.Name}{hint}");
        }
    }

    public void Error(SourcePosition at, string message) => _pipeline.Problems.Add(new ConfigProblem(at, Severity.Error, message));

    public void Assume(SourcePosition at, string text) => _pipeline.Assumptions.Add(new Assumption(at, text));
}
