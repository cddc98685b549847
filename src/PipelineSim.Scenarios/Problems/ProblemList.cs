namespace PipelineSim.Scenarios.Problems;

/// <summary>
/// Collects every problem found while reading one file, so the user sees them all at once instead of fixing one per
/// run. The list comes out in file order.
/// </summary>
internal sealed class ProblemList(string file)
{
    private readonly List<ScenarioProblem> _problems = [];

    public string File { get; } = file;

    public bool Any => _problems.Count > 0;

    public int Count => _problems.Count;

    /// <summary>How many of the problems are a type's own <c>Validate</c> findings on values that were read whole.</summary>
    public int SpecProblems { get; private set; }

    /// <summary>Whether every problem is a <see cref="AddSpecProblem">spec problem</see>: the file read whole, so
    /// the spec it gave can still be checked as a whole for the problems that span components.</summary>
    public bool ReadWhole => _problems.Count == SpecProblems;

    public void Add(TextPosition position, string path, string message) =>
        _problems.Add(new ScenarioProblem(File, position, path, message));

    /// <summary>A problem the spec's own validation found in a value the reader took as written (it was of the
    /// right kind, only out of range): unlike a problem reading the file, it leaves the spec whole.</summary>
    public void AddSpecProblem(TextPosition position, string path, string message)
    {
        if (Has(path, message)) return;
        Add(position, path, message);
        SpecProblems++;
    }

    public bool Has(string path, string message) => _problems.Exists(p => p.Path == path && p.Message == message);

    /// <summary>Sorted by position; problems at the same place keep the order they were found in.</summary>
    public IReadOnlyList<ScenarioProblem> ToList() => _problems.OrderBy(p => p.Position).ToList();
}
