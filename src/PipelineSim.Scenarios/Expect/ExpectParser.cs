using PipelineSim.Scenarios.Schema;
using PipelineSim.Scenarios.Values;

namespace PipelineSim.Scenarios.Expect;

/// <summary>
/// Parses one assertion and checks it against the scenario's components at the same time, so an unknown component or
/// metric is a validation problem with its column, not a surprise after a long run.
/// </summary>
/// <remarks>
/// Grammar (whitespace between tokens is free):
/// <code>
/// assertion := sum compare sum
/// compare   := "&lt;" | "&lt;=" | "&gt;" | "&gt;=" | "==" | "!="
/// sum       := product (("+" | "-") product)*
/// product   := unary (("*" | "/") unary)*
/// unary     := "-" unary | primary
/// primary   := literal | metric | "(" sum ")"
/// metric    := component "." name ("." name)*      e.g. w1.pushes.failed.deadline_exceeded
/// literal   := number [unit] ["%"]                 e.g. 0, 0.999, 99.9%, 2s, 1m30s, 60KiB
/// </code>
/// Both sides of a comparison, and of a sum, must measure the same thing: times (seconds), sizes (bytes) or plain
/// numbers (counts, ratios). A plain number written in the assertion also goes with a size (a bare size is bytes) but
/// not with a time unless it is 0 (<c>latency.p99 &lt; 2</c> is rejected: 2 what?). Multiplying or dividing by a plain
/// number keeps the unit; a time divided by a time is a plain number.
/// <para>
/// An assertion is bounded in length, operands and nesting (<see cref="MaxLength"/>, <see cref="MaxOperands"/>,
/// <see cref="MaxNesting"/>), so every tree this parser accepts is shallow: evaluating it after a run, which recurses
/// over the tree, can never run out of stack (30,000 terms or 100,000 unary minuses once crashed <c>run</c>).
/// </para>
/// </remarks>
internal sealed class ExpectParser
{
    /// <summary>The longest assertion, in characters; a claim a reader can check is far shorter.</summary>
    public const int MaxLength = 1000;

    /// <summary>The most numbers and metrics in one assertion.</summary>
    public const int MaxOperands = 64;

    /// <summary>The deepest nesting of parentheses and unary minuses.</summary>
    public const int MaxNesting = 16;

    private readonly TokenCursor _cursor;
    private readonly IReadOnlyDictionary<string, string> _kinds;
    private int _operands;
    private int _nesting;

    private ExpectParser(string text, IReadOnlyDictionary<string, string> kinds)
    {
        _cursor = new TokenCursor(ExpressionLexer.Tokenize(text));
        _kinds = kinds;
    }

    /// <param name="kinds">Every component and source name in the scenario, with its kind.</param>
    public static bool TryParse(string text, IReadOnlyDictionary<string, string> kinds,
        out (ExpectTerm Left, Comparison Comparison, ExpectTerm Right) assertion, out (int Offset, string Message) error)
    {
        assertion = default;
        error = default;
        if (text.Length > MaxLength)
        {
            error = (MaxLength, $"the assertion is {text.Length} characters long, more than the {MaxLength} one may have: split it into several");
            return false;
        }
        try
        {
            var parser = new ExpectParser(text, kinds);
            assertion = parser.ParseAssertion();
            return true;
        }
        catch (ExpressionSyntaxException e)
        {
            error = (e.Offset, e.Message);
            return false;
        }
    }

    private (ExpectTerm, Comparison, ExpectTerm) ParseAssertion()
    {
        if (_cursor.Peek.Kind == TokenKind.End) throw new ExpressionSyntaxException(0, "empty assertion (expected something like w1.pushes.failed == 0)");
        ExpectTerm left = ParseSum();
        Token op = _cursor.Peek;
        Comparison comparison = op.Kind == TokenKind.Symbol ? ComparisonOf(op.Text) ?? Missing(op) : Missing(op);
        _cursor.Next();
        ExpectTerm right = ParseSum();
        if (ComparisonOf(_cursor.Peek.Text) is not null && _cursor.Peek.Kind == TokenKind.Symbol)
        {
            throw new ExpressionSyntaxException(_cursor.Peek.Offset, "one comparison per assertion: write a second assertion instead of chaining");
        }
        _cursor.ExpectEnd();
        CheckCompatible(left, right, op, "compares");
        return (left, comparison, right);
    }

    private static Comparison Missing(Token found) =>
        throw new ExpressionSyntaxException(found.Offset, $"expected a comparison (<, <=, >, >=, ==, !=), found {found.Describe()}");

    private static Comparison? ComparisonOf(string symbol) => symbol switch
    {
        "<" => Comparison.Less,
        "<=" => Comparison.LessOrEqual,
        ">" => Comparison.Greater,
        ">=" => Comparison.GreaterOrEqual,
        "==" => Comparison.Equal,
        "!=" => Comparison.NotEqual,
        _ => null,
    };

    private ExpectTerm ParseSum()
    {
        ExpectTerm left = ParseProduct();
        while (_cursor.Peek.Is("+") || _cursor.Peek.Is("-"))
        {
            Token op = _cursor.Next();
            ExpectTerm right = ParseProduct();
            Dimension dimension = CheckCompatible(left, right, op, op.Text == "+" ? "adds" : "subtracts");
            left = new BinaryTerm(op.Text[0], left, right, dimension, left.Offset);
        }
        return left;
    }

    private ExpectTerm ParseProduct()
    {
        ExpectTerm left = ParseUnary();
        while (_cursor.Peek.Is("*") || _cursor.Peek.Is("/"))
        {
            Token op = _cursor.Next();
            ExpectTerm right = ParseUnary();
            left = new BinaryTerm(op.Text[0], left, right, ProductDimension(left, right, op), left.Offset);
        }
        return left;
    }

    private ExpectTerm ParseUnary()
    {
        Token minus = _cursor.Peek;
        if (!_cursor.TryTake("-")) return ParsePrimary();
        Nest(minus);
        var negated = new NegateTerm(ParseUnary(), minus.Offset);
        _nesting--;
        return negated;
    }

    private void Nest(Token at)
    {
        if (++_nesting > MaxNesting)
        {
            throw new ExpressionSyntaxException(at.Offset, $"parentheses and minus signs nest more than {MaxNesting} deep here, the most an assertion may use");
        }
    }

    private void CountOperand(Token at)
    {
        if (++_operands > MaxOperands)
        {
            throw new ExpressionSyntaxException(at.Offset, $"more than {MaxOperands} numbers and metrics in one assertion: split it into several");
        }
    }

    private ExpectTerm ParsePrimary()
    {
        Token token = _cursor.Next();
        if (token.Kind is TokenKind.Literal or TokenKind.Identifier) CountOperand(token);
        switch (token.Kind)
        {
            case TokenKind.Literal:
                return Quantity.TryParse(token.Text, out var quantity, out string? error)
                    ? new LiteralTerm(quantity, token.Text, token.Offset)
                    : throw new ExpressionSyntaxException(token.Offset, error);
            case TokenKind.Identifier:
                return ParseMetric(token);
            case TokenKind.Symbol when token.Text == "(":
                Nest(token);
                ExpectTerm inner = ParseSum();
                _cursor.Expect(")");
                _nesting--;
                return inner;
            default:
                throw new ExpressionSyntaxException(token.Offset,
                    $"expected a metric (like w1.pushes.failed), a number, or \"(\", found {token.Describe()}");
        }
    }

    private MetricTerm ParseMetric(Token component)
    {
        var segments = new List<string>();
        while (_cursor.TryTake(".")) segments.Add(_cursor.Expect(TokenKind.Identifier, "a metric name").Text);
        if (!_kinds.TryGetValue(component.Text, out string? kind))
        {
            throw new ExpressionSyntaxException(component.Offset,
                $"unknown component \"{component.Text}\"{Suggestions.DidYouMean(component.Text, _kinds.Keys)}");
        }
        if (kind == ComponentKinds.Unknown) return new MetricTerm(component.Text, string.Join('.', segments), Dimension.Number, component.Offset);
        var known = MetricCatalog.For(kind);
        if (known.Count == 0)
        {
            throw new ExpressionSyntaxException(component.Offset, $"{kind} \"{component.Text}\" has no metrics that expect: can check");
        }
        if (segments.Count == 0)
        {
            throw new ExpressionSyntaxException(component.Offset + component.Text.Length,
                $"expected a metric after \"{component.Text}.\", one of: {string.Join(", ", known.Select(d => d.Pattern))}");
        }
        string metric = string.Join('.', segments);
        MetricDefinition definition = MetricCatalog.Find(kind, metric)
            ?? throw new ExpressionSyntaxException(component.Offset + component.Text.Length + 1,
                $"{kind} \"{component.Text}\" has no metric \"{metric}\"" +
                (Suggestions.Closest(metric, known.SelectMany(d => d.Examples())) is { } hint
                    ? $" (did you mean \"{hint}\"?)"
                    : $" (it has: {string.Join(", ", known.Select(d => d.Pattern))})"));
        return new MetricTerm(component.Text, metric, definition.Dimension, component.Offset);
    }

    /// <summary>
    /// The dimension of a sum or comparison of the two terms, which must measure the same thing. A plain number
    /// written in the assertion (no metric in it) also goes with bytes, as a bare size is bytes; with a time it must
    /// be 0, since a duration needs a unit.
    /// </summary>
    private static Dimension CheckCompatible(ExpectTerm left, ExpectTerm right, Token op, string verb)
    {
        if (left.Dimension == right.Dimension) return left.Dimension;
        if (IsPlainConstant(left) && FitsPlain(left, right)) return right.Dimension;
        if (IsPlainConstant(right) && FitsPlain(right, left)) return left.Dimension;
        foreach (var (plain, other) in new[] { (left, right), (right, left) })
        {
            if (plain is LiteralTerm { Dimension: Dimension.Number } bare && other.Dimension == Dimension.Time)
            {
                throw new ExpressionSyntaxException(bare.Offset, $"{other} is a time: give {bare.Text} a unit, like {bare.Text}s or {bare.Text}ms");
            }
        }
        throw new ExpressionSyntaxException(op.Offset, $"{verb} {left.Dimension.Unit()} with {right.Dimension.Unit()}");
    }

    private static bool IsPlainConstant(ExpectTerm term) => term.Dimension == Dimension.Number && !term.Metrics.Any();

    private static bool FitsPlain(ExpectTerm plain, ExpectTerm other) =>
        other.Dimension == Dimension.Size || plain is LiteralTerm { Value.Value: 0 };

    private static Dimension ProductDimension(ExpectTerm left, ExpectTerm right, Token op)
    {
        if (right.Dimension == Dimension.Number) return left.Dimension;
        if (op.Text == "*" && left.Dimension == Dimension.Number) return right.Dimension;
        if (op.Text == "/" && left.Dimension == right.Dimension) return Dimension.Number; // a ratio of like quantities
        string verb = op.Text == "*" ? "multiplies" : "divides";
        throw new ExpressionSyntaxException(op.Offset, $"{verb} {left.Dimension.Unit()} by {right.Dimension.Unit()}, which has no unit here");
    }
}
