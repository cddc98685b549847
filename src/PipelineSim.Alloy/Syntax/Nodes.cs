namespace PipelineSim.Alloy.Syntax;

/// <summary>A statement of a body: an attribute (<c>name = expr</c>) or a block (<c>a.b "label" { body }</c>).</summary>
public abstract record Statement(SourcePosition At);

public sealed record AttributeStatement(SourcePosition At, string Name, Expression Value) : Statement(At);

/// <param name="Name">The dotted name, like <c>pyroscope.write</c>.</param>
/// <param name="Label">The label without quotes, or null when the block has none.</param>
public sealed record BlockStatement(SourcePosition At, string Name, string? Label, SourcePosition? LabelAt,
    IReadOnlyList<Statement> Body, SourcePosition End) : Statement(At)
{
    /// <summary><c>pyroscope.write.w1</c>: how other statements refer to this block's exports.</summary>
    public string Id => Label is null ? Name : $"{Name}.{Label}";

    /// <summary>The way Alloy writes the block in messages: <c>pyroscope.write "w1"</c>.</summary>
    public string Title => Label is null ? Name : $"{Name} \"{Label}\"";
}

public abstract record Expression(SourcePosition At);

public enum LiteralKind { Number, String, Bool, Null }

/// <param name="Text">The literal as written (for strings, with quotes).</param>
/// <param name="Value">The decoded value: the string, or the number's or bool's text.</param>
public sealed record LiteralExpression(SourcePosition At, LiteralKind Kind, string Text, string Value) : Expression(At);

public sealed record IdentifierExpression(SourcePosition At, string Name) : Expression(At);

public sealed record AccessExpression(SourcePosition At, Expression Value, string Name, SourcePosition NameAt) : Expression(At);

public sealed record IndexExpression(SourcePosition At, Expression Value, Expression Index) : Expression(At);

public sealed record CallExpression(SourcePosition At, Expression Function, IReadOnlyList<Expression> Arguments) : Expression(At);

public sealed record UnaryExpression(SourcePosition At, TokenKind Operator, Expression Value) : Expression(At);

public sealed record BinaryExpression(SourcePosition At, Expression Left, TokenKind Operator, SourcePosition OperatorAt, Expression Right)
    : Expression(At);

public sealed record ArrayExpression(SourcePosition At, IReadOnlyList<Expression> Elements) : Expression(At);

public sealed record ObjectField(SourcePosition At, string Name, bool Quoted, Expression Value);

public sealed record ObjectExpression(SourcePosition At, IReadOnlyList<ObjectField> Fields) : Expression(At);

public sealed record ParenExpression(SourcePosition At, Expression Inner) : Expression(At);

/// <summary>A parsed file: its statements, comments and every syntax error (the tree is usable only without errors).</summary>
public sealed record AlloyFile(string Name, IReadOnlyList<Statement> Body, IReadOnlyList<Comment> Comments,
    IReadOnlyList<AlloyDiagnostic> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
