using PipelineSim.Core.Units;
using PipelineSim.Spec;

namespace PipelineSim.Scenarios.Values;

/// <summary>
/// Named distributions with positional or named arguments, mapped onto the kernel's <see cref="IDistribution"/>:
/// <c>constant(1s)</c>, <c>uniform(500ms, 1s)</c>, <c>exponential(mean: 700ms)</c>, <c>lognormal(60KiB, 0.5)</c>,
/// <c>lognormal(mean: 700ms, sigma: 0.4)</c>, <c>empirical([1s, 2s, 5s])</c>. A bare value (<c>700ms</c>) is a constant.
/// </summary>
/// <remarks>
/// Every value is in the field's <see cref="Dimension"/> and converted to its unit: a latency is written as durations
/// and sampled in seconds, a profile size as sizes and sampled in bytes (a bare number there is bytes), a count as
/// plain numbers. <c>sigma</c> is always a plain number: the spread of the logarithm. Values are never negative, and
/// sizes never above <see cref="SourceSpec.MaxProfileBytes"/>.
/// </remarks>
public static class DistributionSyntax
{
    private enum ParameterKind
    {
        /// <summary>In the field's dimension.</summary>
        Measured,

        /// <summary>A plain number whatever the field measures.</summary>
        Plain,

        /// <summary>A list <c>[a, b, ...]</c> in the field's dimension.</summary>
        MeasuredList,
    }

    private sealed record Shape(string Name, (string Name, ParameterKind Kind)[] Parameters, Func<Arguments, IDistribution> Build);

    private static readonly Shape[] Shapes =
    [
        new("constant", [("value", ParameterKind.Measured)], a => Distributions.Constant(a.Number("value"))),
        new("uniform", [("min", ParameterKind.Measured), ("max", ParameterKind.Measured)], BuildUniform),
        new("exponential", [("mean", ParameterKind.Measured)], a => Distributions.Exponential(a.Positive("mean"))),
        new("lognormal", [("mean", ParameterKind.Measured), ("sigma", ParameterKind.Plain)],
            a => Distributions.LogNormal(a.Positive("mean"), a.Number("sigma"))),
        new("empirical", [("values", ParameterKind.MeasuredList)], a => Distributions.Empirical(a.List("values"))),
    ];

    /// <summary>The names accepted, for messages and docs/reference/scenario-schema.md.</summary>
    public static IEnumerable<string> Names => Shapes.Select(s => s.Name);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong and at which
    /// character offset of the text.</summary>
    public static bool TryParse(string text, Dimension dimension, out IDistribution distribution, out (int Offset, string Message) error)
    {
        distribution = Distributions.Constant(0);
        error = default;
        try
        {
            var cursor = new TokenCursor(ExpressionLexer.Tokenize(text));
            distribution = cursor.Peek.Kind == TokenKind.Identifier ? ParseNamed(cursor, dimension) : ParseConstant(cursor, dimension);
            cursor.ExpectEnd();
            return true;
        }
        catch (ExpressionSyntaxException e)
        {
            error = (e.Offset, e.Message);
            return false;
        }
    }

    private static IDistribution ParseConstant(TokenCursor cursor, Dimension dimension)
    {
        if (cursor.Peek.Kind != TokenKind.Literal)
        {
            throw new ExpressionSyntaxException(cursor.Peek.Offset,
                $"expected {dimension.Noun()} or a distribution like {string.Join(", ", Shapes.Select(s => s.Name + "(...)"))}");
        }
        var value = ReadValue(cursor, dimension, "the value");
        return Distributions.Constant(value.NonNegative());
    }

    private static IDistribution ParseNamed(TokenCursor cursor, Dimension dimension)
    {
        Token name = cursor.Next();
        Shape shape = Shapes.FirstOrDefault(s => s.Name == name.Text)
            ?? throw new ExpressionSyntaxException(name.Offset,
                $"unknown distribution \"{name.Text}\"{Suggestions.DidYouMean(name.Text, Names)} " +
                $"(expected one of {string.Join(", ", Names)})");
        cursor.Expect("(");
        var arguments = new Arguments(shape.Name, name.Offset);
        bool named = false;
        if (!cursor.Peek.Is(")"))
        {
            int position = 0;
            do
            {
                Token start = cursor.Peek;
                string parameter;
                if (start.Kind == TokenKind.Identifier && cursor.PeekAt(1).Is(":"))
                {
                    cursor.Next();
                    cursor.Next();
                    named = true;
                    parameter = start.Text;
                    if (!shape.Parameters.Any(p => p.Name == parameter))
                    {
                        throw new ExpressionSyntaxException(start.Offset,
                            $"{shape.Name} has no argument \"{parameter}\"{Suggestions.DidYouMean(parameter, shape.Parameters.Select(p => p.Name))} " +
                            $"(it takes {Signature(shape)})");
                    }
                }
                else
                {
                    if (named) throw new ExpressionSyntaxException(start.Offset, "a positional argument cannot follow a named one");
                    if (position >= shape.Parameters.Length)
                    {
                        throw new ExpressionSyntaxException(start.Offset, $"{shape.Name} takes {Signature(shape)}: too many arguments");
                    }
                    parameter = shape.Parameters[position].Name;
                }
                position++;
                var kind = shape.Parameters.First(p => p.Name == parameter).Kind;
                arguments.Add(parameter, start.Offset, ReadArgument(cursor, kind, dimension, parameter));
            }
            while (cursor.TryTake(","));
        }
        Token close = cursor.Expect(")");
        foreach (var (parameter, _) in shape.Parameters)
        {
            if (!arguments.Has(parameter))
            {
                throw new ExpressionSyntaxException(close.Offset, $"{shape.Name} is missing \"{parameter}\" (it takes {Signature(shape)})");
            }
        }
        return shape.Build(arguments);
    }

    private static string Signature(Shape shape) => $"({string.Join(", ", shape.Parameters.Select(p => p.Name))})";

    private static Argument ReadArgument(TokenCursor cursor, ParameterKind kind, Dimension dimension, string parameter)
    {
        if (kind != ParameterKind.MeasuredList)
        {
            return ReadValue(cursor, kind == ParameterKind.Plain ? Dimension.Number : dimension, parameter);
        }
        Token open = cursor.Expect("[");
        var values = new List<Argument>();
        if (!cursor.Peek.Is("]"))
        {
            do values.Add(ReadValue(cursor, dimension, parameter));
            while (cursor.TryTake(","));
        }
        cursor.Expect("]");
        if (values.Count == 0) throw new ExpressionSyntaxException(open.Offset, $"{parameter} needs at least one value");
        return new Argument(values[0].Value, open.Offset, values);
    }

    private static Argument ReadValue(TokenCursor cursor, Dimension dimension, string parameter)
    {
        bool negative = cursor.TryTake("-");
        Token literal = cursor.Expect(TokenKind.Literal, $"{dimension.Noun()} for {parameter}");
        if (negative) throw new ExpressionSyntaxException(literal.Offset - 1, $"{parameter} cannot be negative");
        if (!Quantity.TryParse(literal.Text, out var quantity, out string? error))
        {
            throw new ExpressionSyntaxException(literal.Offset, error);
        }
        double value = ToUnit(quantity, dimension, literal, parameter);
        if (dimension == Dimension.Size && value > SourceSpec.MaxProfileBytes)
        {
            throw new ExpressionSyntaxException(literal.Offset,
                $"{parameter} must be at most {ByteSize.Format(SourceSpec.MaxProfileBytes)}, found \"{literal.Text}\" " +
                "(no profile comes near it, and byte counters would overflow)");
        }
        return new Argument(value, literal.Offset, null);
    }

    /// <summary>The value in the field's unit; a plain number counts as seconds only when it is zero (Go requires a
    /// unit on every other duration) and as bytes always.</summary>
    private static double ToUnit(Quantity quantity, Dimension dimension, Token literal, string parameter)
    {
        if (quantity.Dimension == dimension) return quantity.Value;
        bool plainIsFine = quantity.Dimension == Dimension.Number &&
            (dimension == Dimension.Size || (dimension == Dimension.Time && quantity.Value == 0));
        if (plainIsFine) return quantity.Value;
        string problem = dimension == Dimension.Time && quantity.Dimension == Dimension.Number
            ? $"\"{literal.Text}\" needs a time unit, like {literal.Text}ms or {literal.Text}s"
            : $"expected {dimension.Noun()} for {parameter}, found \"{literal.Text}\"";
        throw new ExpressionSyntaxException(literal.Offset, problem);
    }

    private static IDistribution BuildUniform(Arguments a)
    {
        double min = a.Number("min"), max = a.Number("max");
        if (max < min) throw new ExpressionSyntaxException(a.OffsetOf("max"), "uniform needs min <= max");
        return Distributions.Uniform(min, max);
    }

    private readonly record struct Argument(double Value, int Offset, List<Argument>? Items)
    {
        public double NonNegative() =>
            Value >= 0 ? Value : throw new ExpressionSyntaxException(Offset, "a value cannot be negative");
    }

    /// <summary>The arguments given, checked as each distribution needs them.</summary>
    private sealed class Arguments(string distribution, int offset)
    {
        private readonly Dictionary<string, Argument> _values = new(StringComparer.Ordinal);

        public bool Has(string name) => _values.ContainsKey(name);

        public void Add(string name, int at, Argument value)
        {
            if (!_values.TryAdd(name, value)) throw new ExpressionSyntaxException(at, $"{name} is given twice");
        }

        public int OffsetOf(string name) => _values.TryGetValue(name, out var a) ? a.Offset : offset;

        public double Number(string name) => _values[name].NonNegative();

        public double Positive(string name)
        {
            var argument = _values[name];
            return argument.Value > 0
                ? argument.Value
                : throw new ExpressionSyntaxException(argument.Offset, $"{distribution} needs {name} > 0");
        }

        public IReadOnlyList<double> List(string name) => _values[name].Items!.Select(item => item.NonNegative()).ToList();
    }
}
