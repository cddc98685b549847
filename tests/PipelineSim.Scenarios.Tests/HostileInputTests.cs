using PipelineSim.Scenarios.Expect;
using PipelineSim.Scenarios.Yaml;
using PipelineSim.Spec;

namespace PipelineSim.Scenarios.Tests;

using static ScenarioText;

/// <summary>
/// Scenario files written to break the reader (issue 13, "Scenario files"): each once crashed the process, grew it
/// without bound, or passed validation and then failed the run. Each must now be one problem line with a position.
/// </summary>
public class HostileInputTests
{
    private sealed class EveryMetricIs(double value) : IExpectContext
    {
        public bool TryGetMetric(string component, string metric, out double result)
        {
            result = value;
            return true;
        }
    }

    [Fact]
    public void Thirty_thousand_nested_brackets_are_one_problem_at_the_depth_bound_not_a_stack_overflow()
    {
        string problem = Problem("name: deep\nsources: " + new string('[', 30_000));
        Assert.Equal(
            $"s.yaml:2:{9 + YamlTreeReader.MaxDepth}: lists and mappings nest more than 64 levels deep here, the most a " +
            "scenario file may use (a scenario needs about six); stopped reading",
            problem);
    }

    [Fact]
    public void Nesting_up_to_the_bound_is_read_and_checked_as_usual()
    {
        string nested = new string('[', YamlTreeReader.MaxDepth - 1) + new string(']', YamlTreeReader.MaxDepth - 1);
        string problem = Problem(Minimal + $"\ndescription: {nested}");
        Assert.Equal("s.yaml:10:14: description: expected a single value, found a list", problem);
    }

    [Fact]
    public void Aliases_cannot_chain_into_a_tree_deeper_than_the_bound()
    {
        // Each anchor is 40 deep; the alias of it inside another 40 levels would make 80.
        string forty = new string('[', 40) + "x" + new string(']', 40);
        string yaml = $"a: &a {forty}\nb: {new string('[', 39)}*a{new string(']', 39)}\n";
        Assert.Contains("nest more than 64 levels deep", Problem(yaml));
    }

    [Fact]
    public void An_assertion_longer_than_the_bound_is_refused_at_validation_quoting_only_its_start()
    {
        string terms = string.Join(" + ", Enumerable.Repeat("w1.pushes.failed", 30_000));
        string problem = Problem(Minimal + $"\nexpect:\n  - {terms} > 0");
        Assert.StartsWith(
            $"s.yaml:11:1005: expect[0]: the assertion is {terms.Length + 4} characters long, more than the 1000 one may have: split it into several",
            problem);
        Assert.True(problem.Length < 400, problem);
    }

    [Fact]
    public void More_operands_than_the_bound_are_refused_at_the_first_one_too_many()
    {
        string sum = string.Join("+", Enumerable.Repeat("1", 300)); // 599 characters, within the length bound
        string problem = Problem(Minimal + $"\nexpect:\n  - {sum} > 0");
        Assert.StartsWith("s.yaml:11:133: expect[0]: more than 64 numbers and metrics in one assertion: split it into several", problem);
    }

    [Theory]
    [InlineData(900, 0)] // unary minuses
    [InlineData(0, 400)] // parentheses
    public void Nesting_deeper_than_the_bound_is_refused(int minuses, int parentheses)
    {
        string term = new string('-', minuses) + new string('(', parentheses) + "1" + new string(')', parentheses);
        string problem = Problem(Minimal + $"\nexpect:\n  - {term} > 0");
        Assert.Contains($"nest more than {ExpectParser.MaxNesting} deep here", problem);
    }

    [Fact]
    public void The_largest_accepted_assertion_evaluates()
    {
        // The bounds at their limits: 16 levels of nesting and 64 operands, a metric read after the run among them.
        string nested = new string('-', 8) + new string('(', 8) + "w1.pushes.failed" + new string(')', 8);
        string sum = string.Join(" + ", Enumerable.Repeat("1", 62));
        var scenario = Load(Minimal + $"\nexpect:\n  - {nested} + {sum} == 64");
        var outcome = Assert.Single(scenario.CheckExpectations(new EveryMetricIs(2)));
        Assert.True(outcome.Passed, outcome.ToString());
    }

    [Theory]
    [InlineData("count: 200", "count: 2147483647", "4:20: sources.agents.count: must be at most 1000000, found 2147483647: the model keeps every agent in memory")]
    [InlineData("count: 200", "count: 200, profiles_per_push: 2147483647",
        "4:44: sources.agents.profiles_per_push: must be at most 10000, found 2147483647: each push carries one size per series")]
    public void Values_the_run_cannot_hold_are_refused_at_validation(string from, string to, string expected)
    {
        Assert.Equal($"s.yaml:{expected}", Problem(Minimal.Replace(from, to)));
    }

    [Fact]
    public void Agents_over_all_sources_are_bounded_too()
    {
        string yaml = Minimal.Replace("agents: { count: 200, to: w1 }", "a: { count: 600000, to: w1 }\n  b: { count: 600000, to: w1 }");
        Assert.Equal("s.yaml:4:3: sources: hold 1200000 agents together, more than the 1000000 a scenario may have: " +
            "the model keeps every agent in memory", Problem(yaml));
    }

    [Fact]
    public void A_name_with_a_nul_is_refused_and_shown_escaped()
    {
        Assert.Equal(
            "s.yaml:1:7: name: \"run\\x00one\" contains a control character, which cannot be part of a directory name: use letters, digits, - and _",
            Problem(Minimal.Replace("name: minimal", "name: \"run\\0one\"")));
    }

    [Fact]
    public void A_name_longer_than_a_directory_name_may_be_is_refused()
    {
        Assert.Equal(
            $"s.yaml:1:7: name: is 300 characters long; a name has at most {PipelineSpec.MaxNameLength}, as it names the output directory runs/NAME",
            Problem(Minimal.Replace("name: minimal", "name: " + new string('x', 300))));
    }

    [Fact]
    public void The_spec_validator_refuses_the_same_values_for_specs_built_in_code()
    {
        var spec = Load(Minimal).Pipeline;
        var bad = spec with
        {
            Name = "a\nb",
            Sources = [spec.Sources[0] with { Count = int.MaxValue, ProfilesPerPush = SourceSpec.MaxProfilesPerPush + 1 }],
        };
        Assert.Equal(
            [
                "name: \"a\\nb\" contains a control character, which cannot be part of a directory name: use letters, digits, - and _",
                "sources.agents.count: must be at most 1000000, found 2147483647: the model keeps every agent in memory",
                "sources.agents.profiles_per_push: must be at most 10000, found 10001: each push carries one size per series",
            ],
            SpecValidator.Validate(bad).Select(p => p.ToString()));
    }

    [Fact]
    public void Control_characters_and_escape_sequences_from_the_file_are_escaped_in_the_problem_line()
    {
        // A key with an escape sequence (recolours the terminal) and a newline (would forge a second error line).
        string problem = Problem(Minimal + "\n\"evil\\e[2J\\nfake.yaml:1:1: all good\": 1");
        Assert.Equal(
            "s.yaml:10:1: evil\\x1B[2J\\nfake.yaml:1:1: all good: unknown key \"evil\\x1B[2J\\nfake.yaml:1:1: all good\" " +
            "(expected one of: components, description, duration, expect, faults, links, name, network, sample_step, seed, sources)",
            problem);
        Assert.DoesNotContain('\n', problem);
        Assert.DoesNotContain('\u001b', problem);
    }

    [Theory]
    [InlineData("conn_limit: ~", "~")]
    [InlineData("conn_limit: null", "null")]
    public void A_null_value_is_a_problem_not_the_default(string field, string written)
    {
        string yaml = Minimal.Replace("forward_to: [w2] }", $"forward_to: [w2], {field} }}");
        Assert.Equal(
            $"s.yaml:7:69: components.r.conn_limit: has no value (YAML null \"{written}\"): give a value, or leave the key out to get its default",
            Problem(yaml));
    }

    [Fact]
    public void A_key_with_nothing_after_the_colon_is_a_problem_for_a_value()
    {
        string problem = Problem(Minimal + "\nseed:\n");
        Assert.Equal("s.yaml:10:6: seed: has no value (nothing after the colon): give a value, or leave the key out to get its default", problem);
    }

    [Fact]
    public void An_empty_section_still_means_none()
    {
        var scenario = Load(Minimal + "\nfaults:\nlinks: ~\nexpect:\n");
        Assert.Empty(scenario.Pipeline.Faults);
        Assert.Empty(scenario.Expectations);
    }

    [Fact]
    public void An_endless_device_is_read_only_up_to_the_size_bound()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var loaded = ScenarioLoader.Load("/dev/zero");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var problem = Assert.Single(loaded.Error!);
        Assert.Equal("/dev/zero:1:1: the file is larger than 4 MiB, the most a scenario file may hold; stopped reading there", problem.ToString());
        // The bytes up to the bound are held (twice, while the buffer grows and is copied), never the 4 GB it once was.
        Assert.True(allocated < 64L * 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void A_file_one_byte_over_the_bound_is_refused_and_one_at_it_is_read()
    {
        string directory = Directory.CreateTempSubdirectory("pipelinesim-size-").FullName;
        try
        {
            string atBound = Path.Combine(directory, "at.yaml"), over = Path.Combine(directory, "over.yaml");
            string yaml = Minimal + "\n";
            System.IO.File.WriteAllText(atBound, yaml + new string('#', ScenarioLoader.MaxFileBytes - yaml.Length));
            System.IO.File.WriteAllText(over, yaml + new string('#', ScenarioLoader.MaxFileBytes - yaml.Length + 1));

            Assert.True(ScenarioLoader.Load(atBound).IsOk);
            Assert.Contains("larger than 4 MiB", Assert.Single(ScenarioLoader.Load(over).Error!).Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
