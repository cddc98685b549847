using PipelineSim.Spec;
using System.Globalization;
using PipelineSim.Core.Time;
using PipelineSim.Scenarios.Problems;
using PipelineSim.Scenarios.Values;
using PipelineSim.Scenarios.Yaml;

namespace PipelineSim.Scenarios.Reading;

/// <summary>A scalar's type in the schema: how to read it, and what to call it in a message.</summary>
internal abstract class ValueKind<T>
{
    /// <summary>Reads <paramref name="scalar"/>; on failure says what is wrong and where (inside the scalar when an
    /// expression pinpoints it).</summary>
    public abstract bool TryRead(YamlScalar scalar, out T value, out TextPosition errorAt, out string error);
}

/// <summary>A kind whose whole scalar either parses or not.</summary>
internal sealed class SimpleKind<T>(Func<string, (bool Ok, T Value, string Error)> parse) : ValueKind<T>
{
    public override bool TryRead(YamlScalar scalar, out T value, out TextPosition errorAt, out string error)
    {
        (bool ok, value, error) = parse(scalar.Value);
        errorAt = scalar.Start;
        return ok;
    }
}

/// <summary>The scalar types of the scenario schema.</summary>
internal static class Kinds
{
    public static ValueKind<string> String { get; } = new SimpleKind<string>(text => (true, text, ""));

    public static ValueKind<TimeSpan> Duration { get; } = new SimpleKind<TimeSpan>(text =>
        GoDuration.TryParseWholeTicks(text, out var value, out string error) ? (true, value, "") : (false, value, error));

    public static ValueKind<int> Int { get; } = new SimpleKind<int>(text =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            ? (true, value, "")
            : (false, 0, $"expected a whole number, found \"{text}\""));

    public static ValueKind<ulong> UInt64 { get; } = new SimpleKind<ulong>(text =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value)
            ? (true, value, "")
            : (false, 0UL, $"expected a whole number from 0 to {ulong.MaxValue}, found \"{text}\""));

    /// <summary>A plain number; also accepts a percentage (<c>1%</c> = 0.01) for rates and ratios.</summary>
    public static ValueKind<double> Number { get; } = new SimpleKind<double>(text =>
        Quantity.TryParse(text, out var q, out _) && q.Dimension == Dimension.Number && double.IsFinite(q.Value)
            ? (true, q.Value, "")
            : (false, 0, $"expected a number, found \"{text}\""));

    /// <summary>YAML 1.2 core booleans.</summary>
    public static ValueKind<bool> Bool { get; } = new SimpleKind<bool>(text => text switch
    {
        "true" or "True" or "TRUE" => (true, true, ""),
        "false" or "False" or "FALSE" => (true, false, ""),
        _ => (false, false, $"expected true or false, found \"{text}\""),
    });

    /// <summary>A name of a component or source: letters, digits and underscores, like an Alloy label.</summary>
    public static ValueKind<string> Name { get; } = new SimpleKind<string>(text =>
        ExpressionLexer.IsIdentifier(text)
            ? (true, text, "")
            : (false, text, $"\"{text}\" is not a valid name (letters, digits and underscores, not starting with a digit)"));

    /// <summary>An enum written by its names (snake_case in scenario files).</summary>
    public static ValueKind<T> OneOf<T>(params (string Name, T Value)[] values) => new SimpleKind<T>(text =>
    {
        foreach (var (name, value) in values)
        {
            if (name == text) return (true, value, "");
        }
        var names = values.Select(v => v.Name).ToList();
        return (false, values[0].Value, $"expected one of {string.Join(", ", names)}, found \"{text}\"{Suggestions.DidYouMean(text, names)}");
    });

    public static ValueKind<IDistribution> Distribution(Dimension dimension) => new DistributionKind(dimension);

    /// <summary>Inside <c>{ }</c> or <c>[ ]</c> YAML ends an unquoted value at a comma, so <c>lognormal(60KiB, 0.5)</c>
    /// arrives as <c>lognormal(60KiB</c>: say so when a plain value has an unclosed parenthesis.</summary>
    public static string CutAtCommaHint(YamlScalar scalar) =>
        scalar.Quoting == ScalarQuoting.Plain && scalar.Value.Count(c => c == '(') > scalar.Value.Count(c => c == ')')
            ? " (inside { } or [ ] YAML cuts an unquoted value at a comma: quote it, like \"lognormal(60KiB, 0.5)\")"
            : "";

    private sealed class DistributionKind(Dimension dimension) : ValueKind<IDistribution>
    {
        public override bool TryRead(YamlScalar scalar, out IDistribution value, out TextPosition errorAt, out string error)
        {
            bool ok = DistributionSyntax.TryParse(scalar.Value, dimension, out value, out var problem);
            errorAt = ok ? scalar.Start : scalar.PositionAt(problem.Offset);
            error = ok ? "" : $"{problem.Message} in \"{scalar.Value}\"{CutAtCommaHint(scalar)}";
            return ok;
        }
    }
}
