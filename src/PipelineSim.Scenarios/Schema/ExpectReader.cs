using PipelineSim.Scenarios.Expect;
using PipelineSim.Scenarios.Problems;
using PipelineSim.Scenarios.Yaml;

namespace PipelineSim.Scenarios.Schema;

/// <summary><c>expect:</c> a list of assertions, each parsed and checked against the declared names now.</summary>
internal static class ExpectReader
{
    public static IReadOnlyList<Expectation> Read(ProblemList problems, IReadOnlyList<(YamlNode Node, string Path)> items,
        IReadOnlyDictionary<string, string> kinds)
    {
        var expectations = new List<Expectation>();
        foreach (var (node, path) in items)
        {
            if (node is not YamlScalar { IsNull: false } scalar)
            {
                problems.Add(node.Start, path, $"expected an assertion like \"w1.pushes.failed == 0\", found {node.Describe()}");
                continue;
            }
            if (!ExpectParser.TryParse(scalar.Value, kinds, out var assertion, out var error))
            {
                problems.Add(scalar.PositionAt(error.Offset), path, $"{error.Message} in \"{Excerpt(scalar.Value)}\"");
                continue;
            }
            expectations.Add(new Expectation(scalar.Value, assertion.Left, assertion.Comparison, assertion.Right,
                problems.File, scalar.Start, path));
        }
        return expectations;
    }

    /// <summary>The assertion as an error line quotes it: whole when short, else its start (the position points in).</summary>
    private static string Excerpt(string text) => text.Length <= 120 ? text : $"{text[..100]}...";
}
