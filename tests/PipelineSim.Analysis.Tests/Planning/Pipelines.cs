using PipelineSim.Spec;
using PipelineSim.Scenarios;

namespace PipelineSim.Analysis.Tests.Planning;

/// <summary>Scenario text for the planner's tests, loaded the way the command loads it.</summary>
internal static class Pipelines
{
    /// <summary>
    /// The idle-conns-hold-slots scenario made small: 150 agents pushing once a minute keep their keep-alive
    /// connections (the 120 s server idle timeout never fires), so 150 slots are held whatever the load.
    /// </summary>
    public const string IdleHold = """
        name: idle-hold
        duration: 4m
        seed: 3
        sources:
          agents: { count: 150, push_interval: 60s, profile_bytes: "lognormal(60KiB, 0.5)", to: w1 }
        components:
          w1: { kind: pyroscope.write, endpoints: [ { url: "http://r:8080" } ] }
          r:  { kind: pyroscope.receive_http, conn_limit: 100, forward_to: [w2] }
          w2: { kind: pyroscope.write, endpoints: [ { url: "http://pyroscope:4040" } ] }
          pyroscope: { kind: backend, latency: "lognormal(mean: 700ms, sigma: 0.4)" }
        links:
          - { from: w1, to: r, rtt: 2ms }
        faults:
          - { at: 3m, kind: restart, component: r, downtime: 1s }
        """;

    public static PipelineSpec Spec(string yaml)
    {
        var loaded = ScenarioLoader.Parse(yaml, "test.yaml");
        Assert.True(loaded.IsOk, string.Join("\n", loaded.Error ?? []));
        return loaded.Value!.Pipeline;
    }

    public static string Write(TempDirectory directory, string yaml, string name = "scenario.yaml")
    {
        string path = directory.File(name);
        File.WriteAllText(path, yaml);
        return path;
    }
}
