using System.Globalization;
using System.Text;

namespace PipelineSim.Alloy.Syntax;

/// <summary>A comment in the source, kept so readers can spot elided text (<c>// ...</c>) in excerpts.</summary>
public sealed record Comment(SourcePosition At, string Text);

/// <summary>
/// Alloy's lexer (grafana/alloy syntax/scanner/scanner.go, rules rewritten here): identifiers of Unicode letters,
/// digits and <c>_</c>; numbers and floats; double-quoted strings with Go's escapes; raw back-quoted strings that may
/// span lines; <c>//</c> and <c>/* */</c> comments. Like Go, a newline ends a statement only after a token that can
/// end one (an identifier, literal, <c>)</c>, <c>]</c> or <c>}</c>), so newlines inside an expression list after a
/// comma or an opening bracket are ignored, while one after the last element makes the trailing comma required.
/// Errors are reported, never thrown; scanning always makes progress.
/// </summary>
public sealed class Scanner
{
    private const int Eof = -1;

    private readonly string _file;
    private readonly string _text;
    private readonly List<AlloyDiagnostic> _errors;
    private int _offset;
    private int _line = 1;
    private int _lineStart;
    private bool _insertTerminator;

    public Scanner(string file, string text, List<AlloyDiagnostic> errors)
    {
        _file = file;
        _text = text;
        _errors = errors;
        if (_text.Length > 0 && _text[0] == '\uFEFF') _offset = 1; // a byte order mark is allowed first
        _lineStart = _offset;
    }

    public List<Comment> Comments { get; } = [];

    private int Current => _offset < _text.Length ? _text[_offset] : Eof;

    private int Peek => _offset + 1 < _text.Length ? _text[_offset + 1] : Eof;

    private SourcePosition Here => new(_file, _line, _offset - _lineStart + 1);

    private void Advance()
    {
        if (_offset >= _text.Length) return;
        if (_text[_offset] == '\n')
        {
            _line++;
            _lineStart = _offset + 1;
        }
        _offset++;
    }

    private void Error(SourcePosition at, string message) => _errors.Add(new AlloyDiagnostic(at, message));

    public Token Next()
    {
        while (true)
        {
            SkipWhitespace();
            var at = Here;
            int start = _offset;
            int ch = Current;

            if (ch == Eof)
            {
                if (_insertTerminator)
                {
                    _insertTerminator = false;
                    return new Token(TokenKind.Terminator, at, "\n", "\n");
                }
                return new Token(TokenKind.Eof, at, "", "");
            }
            if (ch == '\n')
            {
                // Only reached when a terminator is due: SkipWhitespace eats every other newline.
                Advance();
                _insertTerminator = false;
                return new Token(TokenKind.Terminator, at, "\n", "\n");
            }
            if (ch == '/' && (Peek == '/' || Peek == '*'))
            {
                bool endsLine = ScanComment(at);
                if (_insertTerminator && endsLine)
                {
                    // The statement ends at this comment's line end (scanner.go findLineEnd).
                    _insertTerminator = false;
                    return new Token(TokenKind.Terminator, at, "\n", "\n");
                }
                continue;
            }
            if (IsLetter(ch)) return Finish(ScanWord(at, start), true);
            if (IsDecimal(ch) || (ch == '.' && IsDecimal(Peek))) return Finish(ScanNumber(at, start), true);

            Advance();
            Token token;
            bool ends = false;
            switch (ch)
            {
                case '"':
                    token = ScanString(at, start);
                    ends = true;
                    break;
                case '`':
                    token = ScanRawString(at, start);
                    ends = true;
                    break;
                case '\'':
                    Error(at, "illegal single-quoted string; use double quotes");
                    token = ScanQuoted(at, start, '\'');
                    token = token with { Kind = TokenKind.Illegal };
                    ends = true;
                    break;
                case '|': token = Pair(at, start, '|', TokenKind.Or, "missing second | in ||"); break;
                case '&': token = Pair(at, start, '&', TokenKind.And, "missing second & in &&"); break;
                case '!': token = Either(at, start, TokenKind.Not, TokenKind.Neq); break;
                case '=': token = Either(at, start, TokenKind.Assign, TokenKind.Eq); break;
                case '<': token = Either(at, start, TokenKind.Lt, TokenKind.Lte); break;
                case '>': token = Either(at, start, TokenKind.Gt, TokenKind.Gte); break;
                case '+': token = Simple(at, start, TokenKind.Add); break;
                case '-': token = Simple(at, start, TokenKind.Sub); break;
                case '*': token = Simple(at, start, TokenKind.Mul); break;
                case '/': token = Simple(at, start, TokenKind.Div); break;
                case '%': token = Simple(at, start, TokenKind.Mod); break;
                case '^': token = Simple(at, start, TokenKind.Pow); break;
                case '{': token = Simple(at, start, TokenKind.LCurly); break;
                case '(': token = Simple(at, start, TokenKind.LParen); break;
                case '[': token = Simple(at, start, TokenKind.LBrack); break;
                case ',': token = Simple(at, start, TokenKind.Comma); break;
                case '.': token = Simple(at, start, TokenKind.Dot); break;
                case '}': token = Simple(at, start, TokenKind.RCurly); ends = true; break;
                case ')': token = Simple(at, start, TokenKind.RParen); ends = true; break;
                case ']': token = Simple(at, start, TokenKind.RBrack); ends = true; break;
                default:
                    if (char.IsHighSurrogate((char)ch) && Current != Eof && char.IsLowSurrogate((char)Current)) Advance();
                    string text = _text[start.._offset];
                    Error(at, ch == 0 ? "illegal character NUL" : $"illegal character {Describe(text)}");
                    // An illegal character keeps the terminator state, as Alloy's scanner does.
                    return new Token(TokenKind.Illegal, at, text, text);
            }
            return Finish(token, ends);
        }
    }

    private Token Finish(Token token, bool endsStatement)
    {
        _insertTerminator = endsStatement;
        return token;
    }

    private void SkipWhitespace()
    {
        while (Current is ' ' or '\t' or '\r' || (Current == '\n' && !_insertTerminator)) Advance();
    }

    private Token Simple(SourcePosition at, int start, TokenKind kind) => new(kind, at, _text[start.._offset], _text[start.._offset]);

    private Token Either(SourcePosition at, int start, TokenKind single, TokenKind withEquals)
    {
        if (Current == '=')
        {
            Advance();
            return Simple(at, start, withEquals);
        }
        return Simple(at, start, single);
    }

    private Token Pair(SourcePosition at, int start, char second, TokenKind kind, string missing)
    {
        if (Current == second) Advance();
        else Error(Here, missing);
        return Simple(at, start, kind);
    }

    private Token ScanWord(SourcePosition at, int start)
    {
        while (Current != Eof && (IsLetter(Current) || IsDigit(Current))) AdvanceRune();
        string word = _text[start.._offset];
        var kind = word switch
        {
            "true" or "false" => TokenKind.Bool,
            "null" => TokenKind.Null,
            _ => TokenKind.Ident,
        };
        return new Token(kind, at, word, word);
    }

    private Token ScanNumber(SourcePosition at, int start)
    {
        var kind = TokenKind.Number;
        if (Current != '.') Digits();
        if (Current == '.')
        {
            kind = TokenKind.Float;
            Advance();
            Digits();
        }
        if (Current is 'e' or 'E')
        {
            kind = TokenKind.Float;
            Advance();
            if (Current is '+' or '-') Advance();
            if (Digits() == 0) Error(at, "exponent has no digits");
        }
        string text = _text[start.._offset];
        return new Token(kind, at, text, text);
    }

    private int Digits()
    {
        int count = 0;
        while (IsDecimal(Current))
        {
            Advance();
            count++;
        }
        return count;
    }

    private Token ScanString(SourcePosition at, int start) => ScanQuoted(at, start, '"');

    /// <summary>A quoted string with Go's escapes (scanner.go scanEscape): decoded as it is scanned.</summary>
    private Token ScanQuoted(SourcePosition at, int start, char quote)
    {
        var value = new StringBuilder();
        while (true)
        {
            int ch = Current;
            if (ch == '\n' || ch == Eof)
            {
                Error(at, "string literal not terminated");
                break;
            }
            Advance();
            if (ch == quote) break;
            if (ch == '\\') ScanEscape(value);
            else value.Append((char)ch);
        }
        return new Token(TokenKind.String, at, _text[start.._offset], value.ToString());
    }

    private void ScanEscape(StringBuilder value)
    {
        var at = Here;
        int ch = Current;
        int digits, numberBase;
        uint max;
        switch (ch)
        {
            case 'a': Advance(); value.Append('\a'); return;
            case 'b': Advance(); value.Append('\b'); return;
            case 'f': Advance(); value.Append('\f'); return;
            case 'n': Advance(); value.Append('\n'); return;
            case 'r': Advance(); value.Append('\r'); return;
            case 't': Advance(); value.Append('\t'); return;
            case 'v': Advance(); value.Append('\v'); return;
            case '\\': Advance(); value.Append('\\'); return;
            case '"': Advance(); value.Append('"'); return;
            case >= '0' and <= '7': (digits, numberBase, max) = (3, 8, 255); break;
            case 'x': Advance(); (digits, numberBase, max) = (2, 16, 255); break;
            case 'u': Advance(); (digits, numberBase, max) = (4, 16, 0x10FFFF); break;
            case 'U': Advance(); (digits, numberBase, max) = (8, 16, 0x10FFFF); break;
            default:
                Error(at, ch == Eof ? "escape sequence not terminated" : "unknown escape sequence");
                return;
        }

        uint code = 0;
        for (; digits > 0; digits--)
        {
            int digit = DigitValue(Current);
            if (digit >= numberBase)
            {
                Error(at, Current == Eof || Current == '\n'
                    ? "escape sequence not terminated"
                    : $"illegal character {Describe(((char)Current).ToString())} in escape sequence");
                return;
            }
            code = code * (uint)numberBase + (uint)digit;
            Advance();
        }
        if (code > max || code is >= 0xD800 and < 0xE000)
        {
            Error(at, "escape sequence is invalid Unicode code point");
            return;
        }
        // \x and octal escapes are bytes in Go; as text they are read as Latin-1 code points.
        value.Append(char.ConvertFromUtf32((int)code));
    }

    /// <summary>A back-quoted raw string: no escapes, may span lines.</summary>
    private Token ScanRawString(SourcePosition at, int start)
    {
        while (true)
        {
            int ch = Current;
            if (ch == Eof)
            {
                Error(at, "string literal not terminated");
                break;
            }
            Advance();
            if (ch == '`') break;
        }
        string text = _text[start.._offset];
        string body = text.Length >= 2 && text[^1] == '`' ? text[1..^1] : text[1..];
        return new Token(TokenKind.String, at, text, body.Replace("\r", ""));
    }

    /// <summary>Skips a comment and records it. True when the comment runs to the end of its line (or contains a
    /// newline), so a pending statement ends there.</summary>
    private bool ScanComment(SourcePosition at)
    {
        int start = _offset;
        Advance();
        if (Current == '/')
        {
            while (Current != '\n' && Current != Eof) Advance();
            Comments.Add(new Comment(at, _text[start.._offset].TrimEnd('\r')));
            return true;
        }

        Advance(); // the '*'
        bool newline = false;
        bool closed = false;
        while (Current != Eof)
        {
            int ch = Current;
            Advance();
            if (ch == '\n') newline = true;
            if (ch == '*' && Current == '/')
            {
                Advance();
                closed = true;
                break;
            }
        }
        if (!closed) Error(at, "block comment not terminated");
        Comments.Add(new Comment(at, _text[start.._offset]));
        if (newline) return true;
        int i = _offset;
        while (i < _text.Length && _text[i] is ' ' or '\t' or '\r') i++;
        return i >= _text.Length || _text[i] == '\n';
    }

    private void AdvanceRune()
    {
        bool surrogate = char.IsHighSurrogate((char)Current);
        Advance();
        if (surrogate && Current != Eof && char.IsLowSurrogate((char)Current)) Advance();
    }

    private int CodePointAt(int offset) =>
        char.IsHighSurrogate(_text[offset]) && offset + 1 < _text.Length && char.IsLowSurrogate(_text[offset + 1])
            ? char.ConvertToUtf32(_text[offset], _text[offset + 1])
            : _text[offset];

    private bool IsLetter(int ch) =>
        ch is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' ||
        (ch >= 0x80 && ch != Eof && IsUnicodeCategory(CodePointAt(_offset), letter: true));

    private bool IsDigit(int ch) =>
        IsDecimal(ch) || (ch >= 0x80 && ch != Eof && IsUnicodeCategory(CodePointAt(_offset), letter: false));

    private static bool IsUnicodeCategory(int codePoint, bool letter)
    {
        var category = CharUnicodeInfo.GetUnicodeCategory(codePoint);
        return letter
            ? category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            : category is UnicodeCategory.DecimalDigitNumber;
    }

    private static bool IsDecimal(int ch) => ch is >= '0' and <= '9';

    private static int DigitValue(int ch) => ch switch
    {
        >= '0' and <= '9' => ch - '0',
        >= 'a' and <= 'f' => ch - 'a' + 10,
        >= 'A' and <= 'F' => ch - 'A' + 10,
        _ => 16,
    };

    private static string Describe(string text)
    {
        // A lone surrogate is what an invalid UTF-8 sequence leaves behind; Go calls it an illegal encoding.
        if (char.IsSurrogate(text[0]) && !(text.Length > 1 && char.IsSurrogatePair(text[0], text[1])))
        {
            return $"U+{(int)text[0]:X4} (illegal encoding)";
        }
        int code = char.ConvertToUtf32(text, 0);
        return $"U+{code:X4}" + (char.IsControl(text, 0) ? "" : $" '{text}'");
    }

    /// <summary>Whether <paramref name="text"/> is one identifier (a valid block label): Alloy's IsValidIdentifier.</summary>
    public static bool IsIdentifier(string text)
    {
        if (text.Length == 0) return false;
        var scanner = new Scanner("", text, []);
        var first = scanner.Next();
        return first.Kind == TokenKind.Ident && first.Text.Length == text.Length;
    }
}
