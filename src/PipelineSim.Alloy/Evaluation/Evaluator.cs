using System.Globalization;
using System.Text;
using PipelineSim.Alloy.Syntax;

namespace PipelineSim.Alloy.Evaluation;

/// <summary>
/// Evaluates Alloy expressions as far as they can be known without running Alloy. Literals, operators (Alloy's
/// precedence is in the tree), arrays, objects, member access and indexing are exact; references resolve through an
/// <see cref="IScope"/>; the standard library functions configs use for addresses and settings are computed
/// (<c>sys.env</c> from <see cref="Environment"/> only, <c>coalesce</c>, <c>concat</c>, <c>string.format</c>, ...);
/// anything else becomes an <see cref="UnknownValue"/> that names itself and its position.
/// </summary>
public sealed class Evaluator
{
    private readonly IScope _scope;

    /// <param name="environment">Variables the user supplied (<c>--env NAME=VALUE</c>); others stay unknown.</param>
    public Evaluator(IScope scope, IReadOnlyDictionary<string, string> environment)
    {
        _scope = scope;
        Environment = environment;
    }

    public IReadOnlyDictionary<string, string> Environment { get; }

    public AlloyValue Evaluate(Expression expression) => expression switch
    {
        LiteralExpression literal => Literal(literal),
        ParenExpression paren => Evaluate(paren.Inner),
        ArrayExpression array => new ArrayValue(array.Elements.Select(Evaluate).ToList()),
        ObjectExpression obj => new ObjectValue(obj.Fields.Select(f => KeyValuePair.Create(f.Name, Evaluate(f.Value))).ToList()),
        UnaryExpression unary => Unary(unary),
        BinaryExpression binary => Binary(binary),
        CallExpression call => Call(call),
        IndexExpression index => Index(index),
        IdentifierExpression or AccessExpression => Reference(expression),
        _ => new UnknownValue("an expression this reader does not know", expression.At),
    };

    private static AlloyValue Literal(LiteralExpression literal) => literal.Kind switch
    {
        LiteralKind.String => new StringValue(literal.Value),
        LiteralKind.Bool => new BoolValue(literal.Value == "true"),
        LiteralKind.Null => NullValue.Instance,
        _ => double.TryParse(literal.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
            ? new NumberValue(number)
            : new UnknownValue($"number {literal.Value}", literal.At),
    };

    /// <summary>The identifiers of a plain dotted path (<c>a.b.c</c>), or null when the chain has another root.</summary>
    public static List<string>? DottedPath(Expression expression)
    {
        var parts = new List<string>();
        while (expression is AccessExpression access)
        {
            parts.Add(access.Name);
            expression = access.Value;
        }
        if (expression is not IdentifierExpression root) return null;
        parts.Add(root.Name);
        parts.Reverse();
        return parts;
    }

    private AlloyValue Reference(Expression expression)
    {
        if (DottedPath(expression) is not { } path)
        {
            var access = (AccessExpression)expression;
            return Member(Evaluate(access.Value), access.Name, access.NameAt);
        }
        if (_scope.Resolve(path, expression.At) is { } found)
        {
            var value = found.Value;
            for (int i = found.Used; i < path.Count; i++) value = Member(value, path[i], expression.At);
            return value;
        }
        string name = string.Join('.', path);
        if (path[0] == "constants") return new UnknownValue(name, expression.At);
        return new UnknownValue($"{name} (not a component in these files)", expression.At);
    }

    private static AlloyValue Member(AlloyValue value, string name, SourcePosition at) => value switch
    {
        ObjectValue obj => obj.Get(name) ?? new UnknownValue($"field \"{name}\" missing", at),
        UnknownValue unknown => unknown with { What = $"{unknown.What}.{name}", Assumed = null },
        ExportValue export => new UnknownValue($"{export.Describe()}.{name}", at),
        _ => new UnknownValue($"field \"{name}\" of {value.Describe()}", at),
    };

    private AlloyValue Index(IndexExpression index)
    {
        var value = Evaluate(index.Value);
        var key = Evaluate(index.Index);
        return (value, key) switch
        {
            (ArrayValue array, NumberValue n) when n.Value >= 0 && n.Value < array.Elements.Count && n.Value == Math.Floor(n.Value)
                => array.Elements[(int)n.Value],
            (ArrayValue, NumberValue n) => new UnknownValue($"index {n.Describe()} out of range", index.Index.At),
            // A missing key read with [] is null in Alloy, unlike "." which is an error.
            (ObjectValue obj, StringValue s) => obj.Get(s.Value) ?? NullValue.Instance,
            (UnknownValue unknown, _) => unknown with { What = $"{unknown.What}[{key.Describe()}]", Assumed = null },
            _ => new UnknownValue($"{value.Describe()}[{key.Describe()}]", index.At),
        };
    }

    private AlloyValue Unary(UnaryExpression unary)
    {
        var value = Evaluate(unary.Value);
        return (unary.Operator, value) switch
        {
            (TokenKind.Sub, NumberValue n) => new NumberValue(-n.Value),
            (TokenKind.Not, BoolValue b) => new BoolValue(!b.Value),
            (_, UnknownValue unknown) => unknown with { Assumed = null },
            _ => new UnknownValue($"{unary.Operator.Symbol()}{value.Describe()}", unary.At),
        };
    }

    private AlloyValue Binary(BinaryExpression binary)
    {
        var left = Evaluate(binary.Left);
        var right = Evaluate(binary.Right);
        if (left is UnknownValue || right is UnknownValue) return CombineUnknown(left, right, binary.Operator, binary.At);
        return Apply(binary.Operator, left, right, binary.OperatorAt);
    }

    /// <summary>An operation on an unknown is unknown; if both sides have fallbacks, so does the result.</summary>
    private static AlloyValue CombineUnknown(AlloyValue left, AlloyValue right, TokenKind op, SourcePosition at)
    {
        var unknown = left as UnknownValue ?? (UnknownValue)right;
        AlloyValue? l = left is UnknownValue u1 ? u1.Assumed : left;
        AlloyValue? r = right is UnknownValue u2 ? u2.Assumed : right;
        AlloyValue? assumed = l is not null && r is not null ? Apply(op, l, r, at) : null;
        return unknown with { Assumed = assumed is UnknownValue ? null : assumed };
    }

    private static AlloyValue Apply(TokenKind op, AlloyValue left, AlloyValue right, SourcePosition at)
    {
        switch (op, left, right)
        {
            case (TokenKind.Add, StringValue a, StringValue b):
                return new StringValue(a.Value + b.Value, a.Secret || b.Secret);
            case (_, NumberValue a, NumberValue b):
                return op switch
                {
                    TokenKind.Add => new NumberValue(a.Value + b.Value),
                    TokenKind.Sub => new NumberValue(a.Value - b.Value),
                    TokenKind.Mul => new NumberValue(a.Value * b.Value),
                    TokenKind.Div => new NumberValue(a.Value / b.Value),
                    TokenKind.Mod => new NumberValue(a.Value % b.Value),
                    TokenKind.Pow => new NumberValue(Math.Pow(a.Value, b.Value)),
                    TokenKind.Lt => new BoolValue(a.Value < b.Value),
                    TokenKind.Lte => new BoolValue(a.Value <= b.Value),
                    TokenKind.Gt => new BoolValue(a.Value > b.Value),
                    TokenKind.Gte => new BoolValue(a.Value >= b.Value),
                    TokenKind.Eq => new BoolValue(a.Value == b.Value),
                    TokenKind.Neq => new BoolValue(a.Value != b.Value),
                    _ => Invalid(op, left, right, at),
                };
            case (TokenKind.And, BoolValue a, BoolValue b):
                return new BoolValue(a.Value && b.Value);
            case (TokenKind.Or, BoolValue a, BoolValue b):
                return new BoolValue(a.Value || b.Value);
            case (TokenKind.Eq, _, _):
                return new BoolValue(left == right);
            case (TokenKind.Neq, _, _):
                return new BoolValue(left != right);
            default:
                return Invalid(op, left, right, at);
        }
    }

    private static UnknownValue Invalid(TokenKind op, AlloyValue left, AlloyValue right, SourcePosition at) =>
        new($"{left.Describe()} {op.Symbol()} {right.Describe()} (not computable)", at);

    private AlloyValue Call(CallExpression call)
    {
        string? name = DottedPath(call.Function) is { } path ? string.Join('.', path) : null;
        var args = call.Arguments.Select(Evaluate).ToList();
        switch (name)
        {
            case "sys.env" or "env" when args is [StringValue variable]:
                return Environment.TryGetValue(variable.Value, out string? set)
                    ? new StringValue(set)
                    : new UnknownValue($"sys.env(\"{variable.Value}\")", call.At);
            case "coalesce":
                return Coalesce(args, call.At);
            case "concat" or "array.concat":
                return Concat(args, call.At);
            case "string.format" or "format":
                return Format(args, call.At);
            case "string.join" or "join" when args is [ArrayValue parts, StringValue separator]
                                             && parts.Elements.All(e => e is StringValue):
                return new StringValue(string.Join(separator.Value, parts.Elements.Cast<StringValue>().Select(s => s.Value)));
            case "string.to_lower" when args is [StringValue s]:
                return new StringValue(s.Value.ToLowerInvariant());
            case "string.to_upper" when args is [StringValue s]:
                return new StringValue(s.Value.ToUpperInvariant());
            case "string.trim_space" or "trim_space" when args is [StringValue s]:
                return new StringValue(s.Value.Trim());
            case "convert.nonsensitive" or "nonsensitive" when args is [StringValue s]:
                return s with { Secret = false };
            case "convert.nonsensitive" or "nonsensitive" when args is [UnknownValue u]:
                return u;
        }
        string shown = name ?? "a computed function";
        var firstUnknown = args.OfType<UnknownValue>().FirstOrDefault();
        string what = firstUnknown is null ? $"{shown}(...)" : $"{shown}({firstUnknown.What})";
        return new UnknownValue(what, call.At);
    }

    /// <summary><c>coalesce</c>: the first argument that is not a zero value (null, "", false, 0, empty list or object).</summary>
    private static AlloyValue Coalesce(IReadOnlyList<AlloyValue> args, SourcePosition at)
    {
        foreach (var arg in args)
        {
            if (arg is UnknownValue unknown)
            {
                // If the unknown turns out empty, the rest decides: that is the assumed value.
                var rest = Coalesce(args.SkipWhile(a => !ReferenceEquals(a, arg)).Skip(1).ToList(), at);
                return unknown with { Assumed = rest is UnknownValue ? null : rest };
            }
            if (!IsZero(arg)) return arg;
        }
        return args.Count > 0 ? args[^1] : NullValue.Instance;
    }

    private static bool IsZero(AlloyValue value) => value switch
    {
        NullValue => true,
        StringValue s => s.Value.Length == 0,
        BoolValue b => !b.Value,
        NumberValue n => n.Value == 0,
        ArrayValue a => a.Elements.Count == 0,
        ObjectValue o => o.Fields.Count == 0,
        _ => false,
    };

    private static AlloyValue Concat(IReadOnlyList<AlloyValue> args, SourcePosition at)
    {
        var elements = new List<AlloyValue>();
        foreach (var arg in args)
        {
            switch (arg)
            {
                case ArrayValue array:
                    elements.AddRange(array.Elements);
                    break;
                case UnknownValue unknown:
                    // Known parts are kept; the unknown part is kept as one element standing for the rest.
                    elements.Add(unknown);
                    break;
                default:
                    return new UnknownValue($"array.concat of {arg.Describe()}", at);
            }
        }
        return new ArrayValue(elements);
    }

    /// <summary>Go's fmt verbs that configs use: %s %v %d %q %%.</summary>
    private static AlloyValue Format(IReadOnlyList<AlloyValue> args, SourcePosition at)
    {
        if (args.Count == 0 || args[0] is not StringValue format) return new UnknownValue("string.format(...)", at);
        var unknown = args.Skip(1).OfType<UnknownValue>().FirstOrDefault();
        if (unknown is not null)
        {
            var assumedArgs = args.Select(a => a is UnknownValue u ? u.Assumed : a).ToList();
            var assumed = assumedArgs.All(a => a is not null) ? Format(assumedArgs!, at) : null;
            return unknown with { What = $"string.format with {unknown.What}", Assumed = assumed is UnknownValue ? null : assumed };
        }
        var text = new StringBuilder();
        int next = 1;
        string f = format.Value;
        for (int i = 0; i < f.Length; i++)
        {
            if (f[i] != '%' || i + 1 >= f.Length)
            {
                text.Append(f[i]);
                continue;
            }
            char verb = f[++i];
            if (verb == '%')
            {
                text.Append('%');
                continue;
            }
            if (next >= args.Count) return new UnknownValue("string.format with too few arguments", at);
            var arg = args[next++];
            text.Append((verb, arg) switch
            {
                ('q', StringValue s) => $"\"{s.Value}\"",
                (_, StringValue s) => s.Value,
                (_, NumberValue n) => n.Describe(),
                (_, BoolValue b) => b.Describe(),
                _ => arg.Describe(),
            });
        }
        return new StringValue(text.ToString());
    }
}
