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
    public static Result<Scenario, IReadOnlyList<ScenarioProblem>> Load(string path)
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
        return Parse(text, path);
    }

    /// <param name="text">The YAML.</param>
    /// <param name="file">The name problems are reported under; its stem is the default scenario name.</param>
    public static Result<Scenario, IReadOnlyList<ScenarioProblem>> Parse(string text, string file)
    {
        var problems = new ProblemList(file);
        YamlNode? root = YamlTreeReader.Read(text, problems);
        if (root is null && !problems.Any) problems.Add(new TextPosition(1, 1), "", "the file is empty (expected a scenario: name, duration, sources, components)");
        Scenario? scenario = root is null ? null : ScenarioReader.Read(root, problems, Path.GetFileNameWithoutExtension(file));
        return scenario is not null && !problems.Any
            ? Result<Scenario, IReadOnlyList<ScenarioProblem>>.Ok(scenario)
            : Result<Scenario, IReadOnlyList<ScenarioProblem>>.Fail(problems.ToList());
    }

    private static Result<Scenario, IReadOnlyList<ScenarioProblem>> Fail(ScenarioProblem problem) =>
        Result<Scenario, IReadOnlyList<ScenarioProblem>>.Fail([problem]);
}
