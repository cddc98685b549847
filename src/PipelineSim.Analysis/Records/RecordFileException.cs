using PipelineSim.Spec;

namespace PipelineSim.Analysis.Records;

/// <summary>One thing wrong in a record file, at a line and column when known.</summary>
public sealed record RecordFileProblem(string File, long Line, string? Column, string Message)
{
    /// <summary><c>pushes.csv:12: start_s: 'x' is not ...</c>: one line, naming file, line and field, escaped
    /// (<see cref="PrintableText"/>) as the message may quote a damaged file.</summary>
    public override string ToString() => PrintableText.Escape(
        Column is null ? $"{File}:{Line}: {Message}" : $"{File}:{Line}: {Column}: {Message}");
}

/// <summary>A record file could not be read; <see cref="Exception.Message"/> has one line per problem.</summary>
public sealed class RecordFileException : Exception
{
    public RecordFileException(IReadOnlyList<RecordFileProblem> problems, long moreProblems = 0)
        : base(Describe(problems, moreProblems))
    {
        Problems = problems;
    }

    public IReadOnlyList<RecordFileProblem> Problems { get; }

    private static string Describe(IReadOnlyList<RecordFileProblem> problems, long more)
    {
        var lines = problems.Select(p => p.ToString());
        if (more > 0) lines = lines.Append($"... and {more} more problems");
        return string.Join(Environment.NewLine, lines);
    }
}
