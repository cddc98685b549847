namespace PipelineSim.Scenarios.Values;

/// <summary>Walks a token list for the small recursive-descent parsers of distributions and assertions.</summary>
internal sealed class TokenCursor(List<Token> tokens)
{
    private int _index;

    public Token Peek => tokens[_index];

    public Token PeekAt(int ahead) => tokens[Math.Min(_index + ahead, tokens.Count - 1)];

    public Token Next()
    {
        Token token = tokens[_index];
        if (token.Kind != TokenKind.End) _index++;
        return token;
    }

    public bool TryTake(string symbol)
    {
        if (!Peek.Is(symbol)) return false;
        _index++;
        return true;
    }

    public Token Expect(string symbol)
    {
        if (!Peek.Is(symbol)) throw new ExpressionSyntaxException(Peek.Offset, $"expected \"{symbol}\", found {Peek.Describe()}");
        return Next();
    }

    public Token Expect(TokenKind kind, string what)
    {
        if (Peek.Kind != kind) throw new ExpressionSyntaxException(Peek.Offset, $"expected {what}, found {Peek.Describe()}");
        return Next();
    }

    public void ExpectEnd()
    {
        if (Peek.Kind != TokenKind.End) throw new ExpressionSyntaxException(Peek.Offset, $"unexpected {Peek.Describe()} after the end");
    }
}
