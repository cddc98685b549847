using System.Security.Cryptography;
using PipelineSim.Scenarios;
using PipelineSim.Scenarios.Problems;

namespace PipelineSim.Analysis.Planning;

/// <summary>A scenario loaded for planning, with the SHA-256 of the file's bytes that identifies its sweeps.</summary>
public sealed record PlanScenario(Scenario Scenario, string Sha256)
{
    /// <summary>Reads the file once (bounded as every scenario file is): the bytes hashed are the bytes parsed. Problems as <see cref="ScenarioLoader"/> gives them.</summary>
    public static Result<PlanScenario, IReadOnlyList<ScenarioProblem>> Load(string path)
    {
        var read = ScenarioLoader.ReadFile(path);
        if (!read.IsOk) return Result<PlanScenario, IReadOnlyList<ScenarioProblem>>.Fail([read.Error]);
        byte[] bytes = read.Value;
        var loaded = ScenarioLoader.Parse(ScenarioLoader.Decode(bytes), path);
        return loaded.IsOk
            ? Result<PlanScenario, IReadOnlyList<ScenarioProblem>>.Ok(new PlanScenario(loaded.Value, Convert.ToHexStringLower(SHA256.HashData(bytes))))
            : Result<PlanScenario, IReadOnlyList<ScenarioProblem>>.Fail(loaded.Error);
    }
}
