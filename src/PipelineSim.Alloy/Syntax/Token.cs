namespace PipelineSim.Alloy.Syntax;

/// <summary>The tokens of Alloy's syntax (grafana/alloy syntax/token/token.go).</summary>
public enum TokenKind
{
    Illegal,
    Eof,
    /// <summary>A newline (or end of file) that ends a statement; inserted only after a token that can end one.</summary>
    Terminator,
    Ident,
    Number,
    Float,
    String,
    Bool,
    Null,
    Or,
    And,
    Not,
    Assign,
    Eq,
    Neq,
    Lt,
    Lte,
    Gt,
    Gte,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    LCurly,
    RCurly,
    LParen,
    RParen,
    LBrack,
    RBrack,
    Comma,
    Dot,
}

/// <param name="Text">The source text of the token (for strings, with the quotes).</param>
/// <param name="Value">For a string, its value with escapes decoded; otherwise the same as <paramref name="Text"/>.</param>
public readonly record struct Token(TokenKind Kind, SourcePosition At, string Text, string Value)
{
    /// <summary>How an error message names the token: its text for words and literals, its symbol otherwise.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.Eof => "end of file",
        TokenKind.Terminator => "newline",
        TokenKind.Ident => $"identifier {Text}",
        TokenKind.String => $"string {Shorten(Text)}",
        TokenKind.Number or TokenKind.Float => $"number {Shorten(Text)}",
        _ => $"\"{Shorten(Text)}\"",
    };

    private static string Shorten(string text) => text.Length > 40 ? text[..37] + "..." : text;
}

public static class TokenKinds
{
    /// <summary>Binary operator precedence, lowest 1 to highest 6 (syntax/token/token.go); 0 for anything else.</summary>
    public static int BinaryPrecedence(this TokenKind kind) => kind switch
    {
        TokenKind.Or => 1,
        TokenKind.And => 2,
        TokenKind.Eq or TokenKind.Neq or TokenKind.Lt or TokenKind.Lte or TokenKind.Gt or TokenKind.Gte => 3,
        TokenKind.Add or TokenKind.Sub => 4,
        TokenKind.Mul or TokenKind.Div or TokenKind.Mod => 5,
        TokenKind.Pow => 6,
        _ => 0,
    };

    public static string Symbol(this TokenKind kind) => kind switch
    {
        TokenKind.Or => "||",
        TokenKind.And => "&&",
        TokenKind.Not => "!",
        TokenKind.Assign => "=",
        TokenKind.Eq => "==",
        TokenKind.Neq => "!=",
        TokenKind.Lt => "<",
        TokenKind.Lte => "<=",
        TokenKind.Gt => ">",
        TokenKind.Gte => ">=",
        TokenKind.Add => "+",
        TokenKind.Sub => "-",
        TokenKind.Mul => "*",
        TokenKind.Div => "/",
        TokenKind.Mod => "%",
        TokenKind.Pow => "^",
        TokenKind.LCurly => "{",
        TokenKind.RCurly => "}",
        TokenKind.LParen => "(",
        TokenKind.RParen => ")",
        TokenKind.LBrack => "[",
        TokenKind.RBrack => "]",
        TokenKind.Comma => ",",
        TokenKind.Dot => ".",
        TokenKind.Terminator => "newline",
        TokenKind.Eof => "end of file",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
