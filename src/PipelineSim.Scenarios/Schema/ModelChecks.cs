using PipelineSim.Spec;
using PipelineSim.Scenarios.Problems;
using PipelineSim.Scenarios.Reading;
using PipelineSim.Scenarios.Yaml;

namespace PipelineSim.Scenarios.Schema;

/// <summary>
/// Runs the model's own <see cref="SpecValidator"/> on a spec the reader read whole (every value of its kind), so a rule only the
/// model knows (which load balancer may sit behind which, error probabilities adding up to more than 1, ...) still
/// reaches the user as a problem with a position instead of an exception at run time. The position is that of the
/// problem's path in the file, or of its nearest enclosing key when the model names a field differently.
/// <para>
/// A component's readers use <see cref="ReportFor"/> to put its type's own <c>Validate</c> problems on the file as
/// they read it, so a value rule is written once, on the type, and still reaches the user alongside every other
/// problem of the file instead of only once the file is otherwise clean. <see cref="ProblemList.AddSpecProblem"/>
/// keeps the whole-spec pass from saying the same thing twice.
/// </para>
/// </summary>
internal static class ModelChecks
{
    public static void Report(PipelineSpec spec, YamlNode root, ProblemList problems) =>
        ReportAt(root, "", SpecValidator.Validate(spec), problems);

    /// <summary>
    /// Reports a component's (or source's) own problems, whose paths are relative to it (<c>conn_limit</c>,
    /// <c>http2.ping_timeout</c>), at the position of each path under the mapping <paramref name="m"/> reads.
    /// </summary>
    public static void ReportFor(MappingReader m, IReadOnlyList<SpecProblem> found)
    {
        var relative = found.Select(p => p with { Path = MappingReader.Child(m.Path, p.Path) }).ToList();
        ReportAt(m.Source, m.Path, relative, m.Problems);
    }

    /// <summary>Reports each problem at its path's position in the tree under <paramref name="node"/>, which sits at <paramref name="path"/>.</summary>
    private static void ReportAt(YamlNode node, string path, IReadOnlyList<SpecProblem> found, ProblemList problems)
    {
        if (found.Count == 0) return;
        var positions = new Dictionary<string, TextPosition>(StringComparer.Ordinal);
        Index(node, path, positions);
        foreach (var problem in found)
        {
            problems.AddSpecProblem(PositionOf(problem.Path, positions), problem.Path, problem.Message);
        }
    }

    /// <summary>Every path in the file (the same paths the reader reports) with where its value starts.</summary>
    private static void Index(YamlNode node, string path, Dictionary<string, TextPosition> positions)
    {
        positions.TryAdd(path, node.Start);
        switch (node)
        {
            case YamlMapping mapping:
                foreach (var entry in mapping.Entries) Index(entry.Value, MappingReader.Child(path, entry.Key.Value), positions);
                break;
            case YamlSequence sequence:
                for (int i = 0; i < sequence.Items.Count; i++) Index(sequence.Items[i], MappingReader.Index(path, i), positions);
                break;
        }
    }

    private static TextPosition PositionOf(string path, Dictionary<string, TextPosition> positions)
    {
        for (string at = path; ; at = Parent(at))
        {
            if (positions.TryGetValue(at, out var position)) return position;
            if (at.Length == 0) return new TextPosition(1, 1);
        }
    }

    /// <summary><c>a.b[2].c</c> → <c>a.b[2]</c> → <c>a.b</c> → <c>a</c> → the root.</summary>
    private static string Parent(string path)
    {
        int cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut < 0 ? "" : path[..cut];
    }
}
