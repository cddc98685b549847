using System.Security.Cryptography;
using PipelineSim.Scenarios;
using PipelineSim.Scenarios.Problems;

namespace PipelineSim.Analysis.Planning;

/// <summary>
/// A scenario loaded for planning, with the SHA-256 of the file's bytes that identifies its sweeps, and its text, so
/// that each setting of the varied knobs is read from the same bytes.
/// </summary>
public sealed record PlanScenario(Scenario Scenario, string Sha256, string Text)
{
    /// <summary>The scenario with <paramref name="overrides"/> put in, read and validated as the file itself is.</summary>
    public Result<Scenario, IReadOnlyList<ScenarioProblem>> With(IReadOnlyList<ScenarioOverride> overrides) =>
        ScenarioLoader.Parse(Text, Scenario.File, overrides);

    /// <summary>Reads the file once (bounded as every scenario file is): the bytes hashed are the bytes parsed. Problems as <see cref="ScenarioLoader"/> gives them.</summary>
    public static Result<PlanScenario, IReadOnlyList<ScenarioProblem>> Load(string path)
    {
        var read = ScenarioLoader.ReadFile(path);
        if (!read.IsOk) return Result<PlanScenario, IReadOnlyList<ScenarioProblem>>.Fail([read.Error]);
        byte[] bytes = read.Value;
        string text = ScenarioLoader.Decode(bytes);
        var loaded = ScenarioLoader.Parse(text, path);
        return loaded.IsOk
            ? Result<PlanScenario, IReadOnlyList<ScenarioProblem>>.Ok(new PlanScenario(loaded.Value, Convert.ToHexStringLower(SHA256.HashData(bytes)), text))
            : Result<PlanScenario, IReadOnlyList<ScenarioProblem>>.Fail(loaded.Error);
    }
}
