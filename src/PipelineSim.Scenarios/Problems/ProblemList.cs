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

    public void Add(TextPosition position, string path, string message) =>
        _problems.Add(new ScenarioProblem(File, position, path, message));

    /// <summary>Sorted by position; problems at the same place keep the order they were found in.</summary>
    public IReadOnlyList<ScenarioProblem> ToList() => _problems.OrderBy(p => p.Position).ToList();
}
