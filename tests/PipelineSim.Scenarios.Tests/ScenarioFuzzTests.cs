using System.Text;
using System.Text.RegularExpressions;
using PipelineSim.Scenarios.Expect;

namespace PipelineSim.Scenarios.Tests;

/// <summary>
/// The scenario fuzz layer (issue 13): 400 mutations of the shipped scenarios (fixed seed) each end in a loaded
/// scenario or in problem lines of the form <c>file:line:col: ...</c>, never an exception, within a time bound. A
/// mutation that loads also has its expectations evaluated, as <c>run</c> would after the run.
/// </summary>
public class ScenarioFuzzTests
{
    private const int Mutations = 400;
    private const int Seed = 13;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly Regex ProblemLine = new(@"^fuzz\.yaml:\d+:\d+: [^\n\r\u001b]*$");

    private sealed class EveryMetricIs(double value) : IExpectContext
    {
        public bool TryGetMetric(string component, string metric, out double result)
        {
            result = value;
            return true;
        }
    }

    [Fact]
    public async Task Mutated_shipped_scenarios_load_or_give_positioned_problem_lines()
    {
        var originals = Directory.GetFiles(Path.Combine(Repository.Root, "scenarios"), "*.yaml")
            .Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList();
        var random = new Random(Seed);
        int loaded = 0;
        for (int i = 0; i < Mutations; i++)
        {
            string text = Mutate(originals[random.Next(originals.Count)], random);
            var run = Task.Run(() =>
            {
                var result = ScenarioLoader.Parse(text, "fuzz.yaml");
                if (result.IsOk) result.Value.CheckExpectations(new EveryMetricIs(1));
                return result;
            });
            var outcome = await run.WaitAsync(Bound); // a TimeoutException names no mutation, but the seed replays it
            if (outcome.IsOk)
            {
                loaded++;
                continue;
            }
            Assert.NotEmpty(outcome.Error!);
            foreach (var problem in outcome.Error!)
                Assert.True(ProblemLine.IsMatch(problem.ToString()), $"mutation {i}: {problem}");
        }
        Assert.InRange(loaded, 1, Mutations - 1); // the mutations reach both outcomes
    }

    private static string Mutate(string text, Random random)
    {
        var bytes = new StringBuilder(text);
        int at = random.Next(Math.Max(1, bytes.Length));
        switch (random.Next(8))
        {
            case 0: // flip a character
                if (bytes.Length > 0) bytes[at] = (char)(bytes[at] ^ (1 << random.Next(7)));
                break;
            case 1: // delete a run
                bytes.Remove(at, Math.Min(random.Next(1, 40), bytes.Length - at));
                break;
            case 2: // duplicate a run
                bytes.Insert(at, bytes.ToString(at, Math.Min(random.Next(1, 80), bytes.Length - at)));
                break;
            case 3: // deep nesting
                bytes.Insert(at, new string(random.Next(2) == 0 ? '[' : '{', random.Next(50, 5000)));
                break;
            case 4: // a huge number in place of a number
                return Regex.Replace(text, @"\b\d+\b", _ => random.Next(3) == 0 ? "99999999999999999999999" : "2147483647");
            case 5: // nulls in place of values
                return Regex.Replace(text, @": [^\s{\[][^,}\n]*", _ => random.Next(3) == 0 ? ": ~" : ": null");
            case 6: // a control character or escape sequence
                bytes.Insert(at, random.Next(2) == 0 ? "\u001b[31m" : "\0");
                break;
            default: // a long assertion
                bytes.Append("\nexpect:\n  - " + string.Join(" + ", Enumerable.Repeat("1", random.Next(10, 3000))) + " > 0\n");
                break;
        }
        return bytes.ToString();
    }
}
