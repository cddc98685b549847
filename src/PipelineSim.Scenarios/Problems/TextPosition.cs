namespace PipelineSim.Scenarios.Problems;

/// <summary>A place in a scenario file, both 1-based, as editors count them.</summary>
public readonly record struct TextPosition(int Line, int Column) : IComparable<TextPosition>
{
    public int CompareTo(TextPosition other) =>
        Line != other.Line ? Line.CompareTo(other.Line) : Column.CompareTo(other.Column);

    /// <summary>The position <paramref name="columns"/> characters further along the same line.</summary>
    public TextPosition Advance(int columns) => this with { Column = Column + columns };

    public override string ToString() => $"{Line}:{Column}";
}
