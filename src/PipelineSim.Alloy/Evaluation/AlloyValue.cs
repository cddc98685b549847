using System.Globalization;
using PipelineSim.Alloy.Syntax;

namespace PipelineSim.Alloy.Evaluation;

/// <summary>
/// A value an Alloy expression evaluates to, statically: Alloy's types (null, bool, number, string, array, object),
/// a reference to a component's export (a capsule such as a <c>receiver</c>), or a value this reader cannot know.
/// </summary>
public abstract record AlloyValue
{
    public abstract string Describe();
}

public sealed record NullValue : AlloyValue
{
    public static NullValue Instance { get; } = new();

    public override string Describe() => "null";
}

public sealed record BoolValue(bool Value) : AlloyValue
{
    public override string Describe() => Value ? "true" : "false";
}

public sealed record NumberValue(double Value) : AlloyValue
{
    public override string Describe() => Value.ToString("R", CultureInfo.InvariantCulture);
}

/// <param name="Secret">A secret (from a secret-typed export or string → secret conversion); printed masked.</param>
public sealed record StringValue(string Value, bool Secret = false) : AlloyValue
{
    public override string Describe() => Secret ? "(secret)" : $"\"{Value}\"";
}

public sealed record ArrayValue(IReadOnlyList<AlloyValue> Elements) : AlloyValue
{
    public override string Describe() => $"[{string.Join(", ", Elements.Select(e => e.Describe()))}]";
}

/// <summary>An object; a key given twice keeps its last value (Alloy decodes objects into a Go map, syntax/vm/vm.go).</summary>
public sealed record ObjectValue(IReadOnlyList<KeyValuePair<string, AlloyValue>> Fields) : AlloyValue
{
    public AlloyValue? Get(string key)
    {
        AlloyValue? found = null;
        foreach (var (name, value) in Fields)
        {
            if (name == key) found = value;
        }
        return found;
    }

    public override string Describe() => "{" + string.Join(", ", Fields.Select(f => $"{f.Key} = {f.Value.Describe()}")) + "}";
}

/// <summary>An export of a component, like <c>pyroscope.write.w2.receiver</c>: what <c>forward_to</c> lists hold.</summary>
public sealed record ExportValue(string ComponentId, string Export, SourcePosition At) : AlloyValue
{
    public override string Describe() => Export.Length == 0 ? ComponentId : $"{ComponentId}.{Export}";
}

/// <summary>
/// A value that cannot be known without running Alloy: an environment variable, a file read by <c>local.file</c>, a
/// secret, the result of a discovery. It keeps what it is (<see cref="What"/>, like <c>sys.env("PYROSCOPE_URL")</c>)
/// and where, so a reader can say what the user must supply. <see cref="Assumed"/> is the value the expression falls
/// back to when the unknown is empty (<c>coalesce(sys.env("X"), "localhost:4040")</c>), if it has one.
/// </summary>
public sealed record UnknownValue(string What, SourcePosition At, AlloyValue? Assumed = null) : AlloyValue
{
    public override string Describe() => Assumed is null ? $"<{What}>" : $"<{What}, else {Assumed.Describe()}>";
}
