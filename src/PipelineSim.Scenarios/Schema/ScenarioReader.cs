using PipelineSim.Spec;
using PipelineSim.Scenarios.Problems;
using PipelineSim.Scenarios.Reading;
using PipelineSim.Scenarios.Yaml;

namespace PipelineSim.Scenarios.Schema;

/// <summary>
/// Turns a scenario's YAML tree into a <see cref="Scenario"/>, collecting every problem on the way. Sources and
/// components are all declared before any reference is checked, so the order they are written in does not matter.
/// </summary>
internal static class ScenarioReader
{
    public static Scenario? Read(YamlNode root, ProblemList problems, string defaultName)
    {
        var top = MappingReader.Open(root, "", problems);
        if (top is null) return null;
        var context = new ReadContext(problems, new ComponentGraph(problems));

        var d = new PipelineSpec { Duration = TimeSpan.Zero };
        string name = top.Optional("name", defaultName, Kinds.String, PipelineSpec.NameProblem);
        string? description = top.OptionalRef("description", Kinds.String);
        TimeSpan? duration = top.RequiredValue("duration", Kinds.Duration, Check.Positive);
        ulong seed = top.Optional("seed", d.Seed, Kinds.UInt64);
        TimeSpan sampleStep = top.Optional("sample_step", d.SampleStep, Kinds.Duration, Check.Positive);
        NetworkSpec network = NetworkReader.Read(top.Mapping("network"));

        var sources = ReadSources(context, top, duration);
        var components = ReadComponents(context, top);
        var links = LinkReader.Read(context, top.Sequence("links"));
        var faults = FaultReader.Read(context, top.Sequence("faults"), duration);
        context.Graph.Check();
        var kinds = context.Graph.Kinds;
        var expectations = ExpectReader.Read(problems, top.Sequence("expect"), kinds);
        top.Finish();
        // A value a type's Validate refused (already reported, once) leaves the spec whole: the checks across
        // components still run on it, so the user sees those problems in the same pass.
        if (!problems.ReadWhole || duration is null) return null;

        var pipeline = d with
        {
            Name = name,
            Duration = duration.Value,
            Seed = seed,
            SampleStep = sampleStep,
            Sources = sources,
            Components = components,
            Links = links,
            Faults = faults,
            Network = network,
        };
        ModelChecks.Report(pipeline, root, problems);
        if (problems.Any) return null;
        return new Scenario
        {
            File = problems.File,
            Description = description,
            Pipeline = pipeline,
            Expectations = expectations,
            Kinds = kinds,
            ConfigMetrics = Scenario.ConfigMetricsOf(pipeline),
        };
    }

    private static List<SourceSpec> ReadSources(ReadContext context, MappingReader top, TimeSpan? duration)
    {
        var sources = new List<SourceSpec>();
        var entries = top.Entries("sources", required: true);
        if (entries.Count == 0 && top.Has("sources")) top.Report("sources", "needs at least one source (nothing would push)");
        foreach (var (key, value, path) in entries)
        {
            if (!context.Graph.Declare(key, ComponentKinds.Source, path)) continue;
            if (MappingReader.Open(value, path, context.Problems) is not { } m) continue;
            var source = SourceReader.Read(context, m, key.Value);
            if (duration is { } end && source.Start >= end)
            {
                context.Problems.Add(m.Node("start")!.Start, m.ChildPath("start"),
                    $"is not before the end of the run (duration {Core.Time.GoDuration.Format(end)}): the source would never push");
            }
            sources.Add(source);
        }
        return sources;
    }

    private static List<ComponentSpec> ReadComponents(ReadContext context, MappingReader top)
    {
        var components = new List<ComponentSpec>();
        var kindNames = Kinds.OneOf(ComponentKinds.Declarable.Select(k => (k, k)).ToArray());
        foreach (var (key, value, path) in top.Entries("components", required: true))
        {
            var m = MappingReader.Open(value, path, context.Problems);
            // The kind decides which keys are valid, so a component without a valid kind is not read further.
            string? kind = m?.Required("kind", kindNames);
            if (!context.Graph.Declare(key, kind ?? ComponentKinds.Unknown, path) || m is null || kind is null) continue;
            string name = key.Value;
            components.Add(kind switch
            {
                ComponentKinds.Write => WriterReader.Read(context, m, name),
                ComponentKinds.Receive => ReceiverReader.Read(context, m, name),
                ComponentKinds.Backend => BackendReader.Read(context, m, name),
                ComponentKinds.LoadBalancer => LoadBalancerReader.Read(context, m, name),
                _ => throw new InvalidOperationException($"no reader for kind {kind}"),
            });
        }
        return components;
    }

    /// <summary>The settings <c>expect:</c> may compare against, from the resolved spec.</summary>
}
