namespace PipelineSim.Alloy.Syntax;

/// <summary>
/// Alloy's recursive-descent parser (the grammar of grafana/alloy syntax/parser/internal.go, written here):
/// <code>
/// File       = Body
/// Body       = [ Statement { terminator Statement } ]
/// Statement  = identifier "=" Expression | BlockName "{" Body "}"
/// BlockName  = identifier { "." identifier } [ string ]
/// Expression = OrExpr; OrExpr = AndExpr { "||" AndExpr } ... MulExpr = PowExpr { mul_op PowExpr }
/// PowExpr    = UnaryExpr [ "^" PowExpr ]            (right-associative, below unary)
/// UnaryExpr  = OperExpr | ( "!" | "-" ) UnaryExpr
/// OperExpr   = PrimaryExpr { "." identifier | "[" Expression "]" | "(" [ ExpressionList ] ")" }
/// PrimaryExpr = identifier | literal | "(" Expression ")" | "[" [ ExpressionList ] "]" | "{" [ FieldList ] "}"
/// ExpressionList = Expression { "," Expression } [ "," ]
/// FieldList  = ( string | identifier ) "=" Expression { "," ... } [ "," ]
/// </code>
/// Like Alloy it goes on after an error to report more, keeps at most one error per line, and its tree is only to be
/// used when there were none. Nesting is limited (<see cref="MaxDepth"/>) so hostile input cannot overflow the stack.
/// </summary>
public sealed class Parser
{
    /// <summary>Deepest nesting of blocks and expressions accepted; far beyond any real config.</summary>
    public const int MaxDepth = 256;

    private readonly Scanner _scanner;
    private readonly List<AlloyDiagnostic> _errors;
    private Token _token;
    private int _lastErrorLine = -1;
    private int _depth;

    private Parser(string file, string text)
    {
        _errors = [];
        _scanner = new Scanner(file, text, _errors);
        _token = _scanner.Next();
    }

    /// <summary>Parses a whole file. Never throws for bad input: problems come back in <see cref="AlloyFile.Errors"/>.</summary>
    public static AlloyFile ParseFile(string file, string text)
    {
        var parser = new Parser(file, text);
        IReadOnlyList<Statement> body;
        try
        {
            body = parser.ParseBody(TokenKind.Eof);
        }
        catch (TooDeepException)
        {
            body = [];
        }
        var errors = parser._errors.OrderBy(e => e.At.Line).ThenBy(e => e.At.Column).ToList();
        return new AlloyFile(file, body, parser._scanner.Comments, errors);
    }

    /// <summary>Parses one expression (for <c>--set</c> values and tests).</summary>
    public static (Expression? Value, IReadOnlyList<AlloyDiagnostic> Errors) ParseExpression(string file, string text)
    {
        var parser = new Parser(file, text);
        Expression? value = null;
        try
        {
            value = parser.Expression();
            if (parser._token.Kind == TokenKind.Terminator) parser.Next();
            if (parser._token.Kind != TokenKind.Eof) parser.Error($"unexpected {parser._token.Describe()} after the expression");
        }
        catch (TooDeepException)
        {
        }
        return (parser._errors.Count == 0 ? value : null, parser._errors);
    }

    private sealed class TooDeepException : Exception;

    private void Enter()
    {
        if (++_depth <= MaxDepth) return;
        _errors.Add(new AlloyDiagnostic(_token.At, $"nesting deeper than {MaxDepth} levels; giving up on this file"));
        throw new TooDeepException();
    }

    private void Leave() => _depth--;

    private void Next() => _token = _scanner.Next();

    private void Error(string message) => Error(_token.At, message);

    private void Error(SourcePosition at, string message)
    {
        // Alloy reports one parse error per line: the rest are usually consequences of the first.
        if (at.Line == _lastErrorLine) return;
        _lastErrorLine = at.Line;
        _errors.Add(new AlloyDiagnostic(at, message));
    }

    private Token Expect(TokenKind kind)
    {
        var token = _token;
        if (token.Kind != kind) Error($"expected {Name(kind)}, got {token.Describe()}");
        Next();
        return token;
    }

    private static string Name(TokenKind kind) => kind switch
    {
        TokenKind.Ident => "identifier",
        TokenKind.String => "string",
        _ => $"\"{kind.Symbol()}\"",
    };

    private List<Statement> ParseBody(TokenKind until)
    {
        var body = new List<Statement>();
        while (_token.Kind != until && _token.Kind != TokenKind.Eof)
        {
            if (ParseStatement() is { } statement) body.Add(statement);
            if (_token.Kind == until) break;
            if (_token.Kind != TokenKind.Terminator)
            {
                Error($"expected a newline after the statement, got {_token.Describe()}");
                SkipStatement();
            }
            Next();
        }
        return body;
    }

    /// <summary>Skips to the terminator that ends the current statement, past any brackets opened on the way.</summary>
    private void SkipStatement()
    {
        int curly = 0, bracket = 0, paren = 0;
        while (_token.Kind != TokenKind.Eof)
        {
            switch (_token.Kind)
            {
                case TokenKind.LCurly: curly++; break;
                case TokenKind.RCurly: curly--; break;
                case TokenKind.LBrack: bracket++; break;
                case TokenKind.RBrack: bracket--; break;
                case TokenKind.LParen: paren++; break;
                case TokenKind.RParen: paren--; break;
                case TokenKind.Terminator when curly <= 0 && bracket <= 0 && paren <= 0: return;
            }
            Next();
        }
    }

    private void SkipTo(TokenKind kind)
    {
        while (_token.Kind != TokenKind.Eof && _token.Kind != kind) Next();
    }

    private Statement? ParseStatement()
    {
        var start = _token.At;
        if (_token.Kind != TokenKind.Ident)
        {
            Error($"expected identifier, got {_token.Describe()}");
            Next();
            SkipTo(TokenKind.Ident);
            return null;
        }
        var parts = new List<string> { _token.Text };
        Next();
        while (_token.Kind == TokenKind.Dot)
        {
            Next();
            if (_token.Kind != TokenKind.Ident) Error($"expected identifier, got {_token.Describe()}");
            parts.Add(_token.Text);
            Next();
        }
        string name = string.Join('.', parts);

        string? label = null;
        SourcePosition? labelAt = null;
        if (_token.Kind is not (TokenKind.Assign or TokenKind.LCurly))
        {
            if (_token.Kind == TokenKind.String)
            {
                if (_token.Text[0] != '"') Error($"expected block label to be a double quoted string, but got {_token.Text}");
                label = _token.Value;
                labelAt = _token.At;
                if (!Scanner.IsIdentifier(label)) Error($"expected block label to be a valid identifier, but got \"{label}\"");
            }
            else
            {
                Error($"expected block label, got {_token.Describe()}");
            }
            Next();
        }

        switch (_token.Kind)
        {
            case TokenKind.Assign:
                Next();
                if (parts.Count != 1) Error(start, "attribute names may only consist of a single identifier with no \".\"");
                else if (labelAt is { } at) Error(at, "attribute names may not have labels");
                return new AttributeStatement(start, name, Expression());
            case TokenKind.LCurly:
                Enter();
                Next();
                var body = ParseBody(TokenKind.RCurly);
                var end = Expect(TokenKind.RCurly).At;
                Leave();
                return new BlockStatement(start, name, label, labelAt, body, end);
            default:
                Error(parts.Count == 1 && label is null
                    ? $"expected attribute assignment or block body, got {_token.Describe()}"
                    : $"expected block body, got {_token.Describe()}");
                SkipStatement();
                return null;
        }
    }

    private Expression Expression() => Binary(1);

    /// <summary>Left-associative binary operators by precedence climbing; <c>^</c> is handled by <see cref="Power"/>.</summary>
    private Expression Binary(int minimum)
    {
        int entered = 0;
        try
        {
            Enter();
            entered++;
            var left = Power();
            while (true)
            {
                var op = _token;
                int precedence = op.Kind.BinaryPrecedence();
                if (precedence < minimum || op.Kind == TokenKind.Pow) return left;
                Next();
                var right = Binary(precedence + 1);
                // Each operator in a chain deepens the tree by one: counted so evaluating it cannot overflow either.
                Enter();
                entered++;
                left = new BinaryExpression(left.At, left, op.Kind, op.At, right);
            }
        }
        finally
        {
            _depth -= entered;
        }
    }

    private Expression Power()
    {
        var left = Unary();
        if (_token.Kind != TokenKind.Pow) return left;
        var op = _token;
        Next();
        Enter();
        try
        {
            return new BinaryExpression(left.At, left, TokenKind.Pow, op.At, Power());
        }
        finally
        {
            Leave();
        }
    }

    private Expression Unary()
    {
        if (_token.Kind is TokenKind.Not or TokenKind.Sub)
        {
            var op = _token;
            Next();
            Enter();
            try
            {
                return new UnaryExpression(op.At, op.Kind, Unary());
            }
            finally
            {
                Leave();
            }
        }

        var value = Primary();
        int entered = 0;
        try
        {
            while (true)
            {
                switch (_token.Kind)
                {
                    case TokenKind.Dot:
                        Next();
                        var name = Expect(TokenKind.Ident);
                        value = new AccessExpression(value.At, value, name.Text, name.At);
                        break;
                    case TokenKind.LBrack:
                        Next();
                        var index = Expression();
                        Expect(TokenKind.RBrack);
                        value = new IndexExpression(value.At, value, index);
                        break;
                    case TokenKind.LParen:
                        Next();
                        var arguments = _token.Kind == TokenKind.RParen ? [] : ExpressionList(TokenKind.RParen);
                        Expect(TokenKind.RParen);
                        value = new CallExpression(value.At, value, arguments);
                        break;
                    case TokenKind.String or TokenKind.LCurly:
                        BlockUsedAsValue(value);
                        return value;
                    default:
                        return value;
                }
                Enter();
                entered++;
            }
        }
        finally
        {
            _depth -= entered;
        }
    }

    /// <summary><c>x = thing "label" { ... }</c>: a block where a value belongs; skipped with Alloy's message.</summary>
    private void BlockUsedAsValue(Expression value)
    {
        if (_token.Kind == TokenKind.String) Next();
        if (_token.Kind != TokenKind.LCurly)
        {
            Error($"expected \"{{\", got {_token.Describe()}");
            SkipStatement();
            return;
        }
        Enter();
        Next();
        ParseBody(TokenKind.RCurly);
        Expect(TokenKind.RCurly);
        Leave();
        Error(value.At, "cannot use a block as an expression");
    }

    private Expression Primary()
    {
        var token = _token;
        switch (token.Kind)
        {
            case TokenKind.Ident:
                Next();
                return new IdentifierExpression(token.At, token.Text);
            case TokenKind.String:
                Next();
                return new LiteralExpression(token.At, LiteralKind.String, token.Text, token.Value);
            case TokenKind.Number or TokenKind.Float:
                Next();
                return new LiteralExpression(token.At, LiteralKind.Number, token.Text, token.Text);
            case TokenKind.Bool:
                Next();
                return new LiteralExpression(token.At, LiteralKind.Bool, token.Text, token.Text);
            case TokenKind.Null:
                Next();
                return new LiteralExpression(token.At, LiteralKind.Null, token.Text, token.Text);
            case TokenKind.LParen:
            {
                Next();
                Enter();
                var inner = Expression();
                Leave();
                Expect(TokenKind.RParen);
                return new ParenExpression(token.At, inner);
            }
            case TokenKind.LBrack:
            {
                Next();
                Enter();
                var elements = _token.Kind == TokenKind.RBrack ? [] : ExpressionList(TokenKind.RBrack);
                Leave();
                Expect(TokenKind.RBrack);
                return new ArrayExpression(token.At, elements);
            }
            case TokenKind.LCurly:
            {
                Next();
                Enter();
                var fields = _token.Kind == TokenKind.RCurly ? [] : FieldList();
                Leave();
                Expect(TokenKind.RCurly);
                return new ObjectExpression(token.At, fields);
            }
        }
        Error($"expected expression, got {token.Describe()}");
        // Eat the rest of the expression, up to something that can end it.
        while (_token.Kind is not (TokenKind.Eof or TokenKind.Terminator or TokenKind.RParen or TokenKind.RCurly
                   or TokenKind.RBrack or TokenKind.Comma))
        {
            Next();
        }
        return new LiteralExpression(token.At, LiteralKind.Null, "null", "null");
    }

    /// <summary>Elements up to <paramref name="until"/>. A newline after an element without a comma is the
    /// terminator the scanner inserted, and is an error: the trailing comma is required before a closing bracket on a
    /// later line.</summary>
    private List<Expression> ExpressionList(TokenKind until)
    {
        var list = new List<Expression>();
        while (_token.Kind != until && _token.Kind != TokenKind.Eof)
        {
            list.Add(Expression());
            if (_token.Kind == until) break;
            if (_token.Kind != TokenKind.Comma) Error("missing ',' in expression list");
            Next();
        }
        return list;
    }

    private List<ObjectField> FieldList()
    {
        var fields = new List<ObjectField>();
        while (_token.Kind != TokenKind.RCurly && _token.Kind != TokenKind.Eof)
        {
            var key = _token;
            string name = key.Text;
            bool quoted = false;
            if (key.Kind is TokenKind.String or TokenKind.Ident)
            {
                if (key.Kind == TokenKind.String)
                {
                    name = key.Value;
                    quoted = true;
                }
                Next();
            }
            else
            {
                Error($"expected field name (string or identifier), got {key.Describe()}");
                while (_token.Kind is not (TokenKind.Eof or TokenKind.Assign)) Next();
            }
            Expect(TokenKind.Assign);
            fields.Add(new ObjectField(key.At, name, quoted, Expression()));
            if (_token.Kind == TokenKind.RCurly) break;
            if (_token.Kind != TokenKind.Comma) Error("missing ',' in field list");
            Next();
        }
        return fields;
    }
}
