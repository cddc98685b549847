namespace PipelineSim.Scenarios.Values;

internal enum TokenKind
{
    Identifier,

    /// <summary>A number with an optional unit or percent sign: <c>0.5</c>, <c>1e3</c>, <c>99.9%</c>, <c>1m30s</c>, <c>60KiB</c>.</summary>
    Literal,

    /// <summary>Punctuation or an operator: <c>( ) [ ] , : . + - * / &lt; &lt;= &gt; &gt;= == !=</c>.</summary>
    Symbol,

    End,
}

/// <summary>One token and the offset of its first character in the text.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Offset)
{
    public bool Is(string symbol) => Kind == TokenKind.Symbol && Text == symbol;

    public string Describe() => Kind == TokenKind.End ? "the end" : $"\"{Text}\"";
}

/// <summary>A syntax error at an offset in the text; caught by the parsers and turned into a problem.</summary>
internal sealed class ExpressionSyntaxException(int offset, string message) : Exception(message)
{
    public int Offset { get; } = offset;
}

/// <summary>
/// Splits a distribution (<c>lognormal(mean: 700ms, sigma: 0.4)</c>) or an <c>expect:</c> assertion
/// (<c>w1.latency.p99 &lt; 2s</c>) into tokens. Identifiers are letters, digits and underscores, like Alloy labels;
/// a literal starts with a digit (or a point and a digit) and runs through its unit, so <c>1m30s</c> is one token.
/// </summary>
internal static class ExpressionLexer
{
    private static readonly string[] Symbols = ["<=", ">=", "==", "!=", "<", ">", "(", ")", "[", "]", ",", ":", ".", "+", "-", "*", "/"];

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i == text.Length)
            {
                tokens.Add(new Token(TokenKind.End, "", i));
                return tokens;
            }
            int start = i;
            char c = text[i];
            if (IsIdentifierStart(c))
            {
                while (i < text.Length && IsIdentifierPart(text[i])) i++;
                tokens.Add(new Token(TokenKind.Identifier, text[start..i], start));
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                i = LiteralEnd(text, i);
                tokens.Add(new Token(TokenKind.Literal, text[start..i], start));
            }
            else if (Symbols.FirstOrDefault(s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0) is { } symbol)
            {
                i += symbol.Length;
                tokens.Add(new Token(TokenKind.Symbol, symbol, start));
            }
            else if (c == '=')
            {
                throw new ExpressionSyntaxException(start, "a single '=' is not a comparison: write == for equality");
            }
            else
            {
                throw new ExpressionSyntaxException(start, $"unexpected character '{c}'");
            }
        }
    }

    public static bool IsIdentifier(string text) =>
        text.Length > 0 && IsIdentifierStart(text[0]) && text.All(IsIdentifierPart);

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>Digits and points, an exponent if one follows, then the unit (letters, digits and points, as in
    /// <c>1m30.5s</c> or <c>1.5MiB</c>) and an optional percent sign.</summary>
    private static int LiteralEnd(string text, int i)
    {
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            int digits = i + 1 < text.Length && text[i + 1] is '+' or '-' ? i + 2 : i + 1;
            if (digits < text.Length && char.IsAsciiDigit(text[digits]))
            {
                i = digits;
                while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
            }
        }
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '.' or 'µ' or 'μ')) i++;
        if (i < text.Length && text[i] == '%') i++;
        return i;
    }
}
