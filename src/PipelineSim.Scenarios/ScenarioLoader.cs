using PipelineSim.Scenarios.Problems;
using PipelineSim.Scenarios.Schema;
using PipelineSim.Scenarios.Yaml;

namespace PipelineSim.Scenarios;

/// <summary>
/// Loads a scenario file: YAML to a validated <see cref="Scenario"/>, or every problem found, each as
/// <c>file:line:col: path: message</c>. Never throws for bad input.
/// </summary>
public static class ScenarioLoader
{
    public static Result<Scenario, IReadOnlyList<ScenarioProblem>> Load(string path) => Load(path, []);

    /// <param name="path">The scenario file.</param>
    /// <param name="overrides">Values that replace the file's before it is read (see <see cref="ScenarioOverride"/>).</param>
    public static Result<Scenario, IReadOnlyList<ScenarioProblem>> Load(string path, IReadOnlyList<ScenarioOverride> overrides)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Fail(new ScenarioProblem(path, new TextPosition(1, 1), "", $"cannot read the file: {e.Message}"));
        }
        return Parse(text, path, overrides);
    }

    /// <param name="text">The YAML.</param>
    /// <param name="file">The name problems are reported under; its stem is the default scenario name.</param>
    public static Result<Scenario, IReadOnlyList<ScenarioProblem>> Parse(string text, string file) => Parse(text, file, []);

    /// <param name="text">The YAML.</param>
    /// <param name="file">The name problems are reported under; its stem is the default scenario name.</param>
    /// <param name="overrides">Values that replace the file's before it is read; a problem with one says so.</param>
    public static Result<Scenario, IReadOnlyList<ScenarioProblem>> Parse(string text, string file, IReadOnlyList<ScenarioOverride> overrides)
    {
        var problems = new ProblemList(file);
        YamlNode? root = YamlTreeReader.Read(text, problems);
        if (root is null && !problems.Any) problems.Add(new TextPosition(1, 1), "", "the file is empty (expected a scenario: name, duration, sources, components)");
        int fileProblems = problems.Count;
        if (root is not null && overrides.Count > 0) root = OverrideApplier.Apply(root, overrides, problems);
        // An override that leads nowhere leaves nothing to read the scenario for: the user meant another path.
        bool overridesApplied = problems.Count == fileProblems;
        Scenario? scenario = root is null || !overridesApplied ? null : ScenarioReader.Read(root, problems, Path.GetFileNameWithoutExtension(file));
        return scenario is not null && !problems.Any
            ? Result<Scenario, IReadOnlyList<ScenarioProblem>>.Ok(scenario)
            : Result<Scenario, IReadOnlyList<ScenarioProblem>>.Fail([.. problems.ToList().Select(p => Attribute(p, overrides))]);
    }

    /// <summary>A problem with an overridden value names the override, since the file's line no longer holds that value.</summary>
    private static ScenarioProblem Attribute(ScenarioProblem problem, IReadOnlyList<ScenarioOverride> overrides)
    {
        var source = overrides.LastOrDefault(o => o.Path == problem.Path);
        return source is null || problem.Message.StartsWith("cannot set:", StringComparison.Ordinal)
            ? problem
            : problem with { Message = $"{problem.Message} (the value '{source.Value}' set on the command line)" };
    }

    private static Result<Scenario, IReadOnlyList<ScenarioProblem>> Fail(ScenarioProblem problem) =>
        Result<Scenario, IReadOnlyList<ScenarioProblem>>.Fail([problem]);
}
