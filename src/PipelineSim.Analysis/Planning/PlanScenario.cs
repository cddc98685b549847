using System.Security.Cryptography;
using System.Text;
using PipelineSim.Scenarios;
using PipelineSim.Scenarios.Problems;

namespace PipelineSim.Analysis.Planning;

/// <summary>A scenario loaded for planning, with the SHA-256 of the file's bytes that identifies its sweeps.</summary>
public sealed record PlanScenario(Scenario Scenario, string Sha256)
{
    /// <summary>Reads the file once: the bytes hashed are the bytes parsed. Problems as <see cref="ScenarioLoader"/> gives them.</summary>
    public static Result<PlanScenario, IReadOnlyList<ScenarioProblem>> Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Result<PlanScenario, IReadOnlyList<ScenarioProblem>>.Fail(
                [new ScenarioProblem(path, new TextPosition(1, 1), "", $"cannot read the file: {e.Message}")]);
        }
        // Decoded as File.ReadAllText would (a byte order mark chooses the encoding), so both loaders read the same text.
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var loaded = ScenarioLoader.Parse(reader.ReadToEnd(), path);
        return loaded.IsOk
            ? Result<PlanScenario, IReadOnlyList<ScenarioProblem>>.Ok(new PlanScenario(loaded.Value, Convert.ToHexStringLower(SHA256.HashData(bytes))))
            : Result<PlanScenario, IReadOnlyList<ScenarioProblem>>.Fail(loaded.Error);
    }
}
