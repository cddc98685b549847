namespace PipelineSim.Alloy.Syntax;

/// <summary>A place in an Alloy file: 1-based line and column (columns count UTF-16 characters, tabs as one).</summary>
public readonly record struct SourcePosition(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>One problem found in an Alloy file, printed the way Alloy prints its own: <c>file:line:col: message</c>.</summary>
public sealed record AlloyDiagnostic(SourcePosition At, string Message)
{
    public override string ToString() => $"{At}: {Message}";
}
