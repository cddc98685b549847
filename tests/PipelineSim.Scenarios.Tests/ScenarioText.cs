namespace PipelineSim.Scenarios.Tests;

/// <summary>Loads scenario text under the file name <c>s.yaml</c> and gives the problems as the user sees them.</summary>
internal static class ScenarioText
{
    public const string File = "s.yaml";

    /// <summary>A valid scenario to break one field at a time (lines are referred to by the tests).</summary>
    public const string Minimal = """
        name: minimal
        duration: 30m
        sources:
          agents: { count: 200, to: w1 }
        components:
          w1: { kind: pyroscope.write, endpoints: [ { url: r } ] }
          r:  { kind: pyroscope.receive_http, forward_to: [w2] }
          w2: { kind: pyroscope.write, endpoints: [ { url: pyroscope } ] }
          pyroscope: { kind: backend }
        """;

    public static Scenario Load(string yaml)
    {
        var result = ScenarioLoader.Parse(yaml, File);
        Assert.True(result.IsOk, string.Join("\n", result.Error ?? []));
        return result.Value!;
    }

    public static IReadOnlyList<string> Problems(string yaml)
    {
        var result = ScenarioLoader.Parse(yaml, File);
        Assert.False(result.IsOk, "expected problems, but the scenario loaded");
        return result.Error!.Select(p => p.ToString()).ToList();
    }

    /// <summary>The single problem of <paramref name="yaml"/>.</summary>
    public static string Problem(string yaml) => Assert.Single(Problems(yaml));
}
