using System.Text.RegularExpressions;

namespace PipelineSim.Cli.Tests;

/// <summary>
/// The rough edges of the command line a new user met first: help pages that crashed or showed the wrong things, and
/// an option value answered with a .NET type name.
/// </summary>
public sealed partial class HelpAndArgumentTests
{
    [Fact]
    public void Every_command_in_the_tree_prints_its_help()
    {
        // Walk the tree the way a user would, from the COMMANDS section of each page, so a command added later is
        // covered too. Spectre reads descriptions as markup: one with [brackets] used to fail the whole page.
        var pending = new Queue<string[]>([[]]);
        var seen = new List<string>();
        while (pending.TryDequeue(out var path))
        {
            var help = CliRunner.Run([.. path, "--help"]);
            string name = string.Join(' ', path);
            Assert.True(help.ExitCode == 0 && help.StdErr.Length == 0, $"'{name} --help': exit {help.ExitCode}\n{help.StdErr}");
            Assert.Contains("USAGE:", help.StdOut);
            seen.Add(name);
            foreach (string child in Subcommands(help.StdOut)) pending.Enqueue([.. path, child]);
        }

        Assert.Contains("serve backend", seen);
        Assert.Contains("plan merge", seen);
        Assert.True(seen.Count >= 15, string.Join(", ", seen));
    }

    [Fact]
    public void Serve_backend_help_shows_distribution_syntax_with_brackets_as_written()
    {
        var help = CliRunner.Run("serve", "backend", "--help");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("empirical([1s, 2s])", help.StdOut);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Plan_help_lists_the_plan_options_and_only_its_own_subcommand(bool withFile)
    {
        string[] args = withFile ? ["plan", "scenarios/idle-conns-hold-slots.yaml", "--help"] : ["plan", "--help"];
        var help = CliRunner.Run(args);

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--conn-limit <GRID>", help.StdOut);
        Assert.Contains("--slo <SLO>", help.StdOut);
        Assert.Contains("<FILE>", help.StdOut);
        Assert.Equal(["merge"], Subcommands(help.StdOut));
    }

    [Theory]
    [InlineData("run", "-1")]
    [InlineData("run", "seven")]
    [InlineData("run", "18446744073709551616")]
    [InlineData("plan", "-1")]
    public void A_seed_out_of_range_is_answered_with_the_option_and_its_range(string command, string seed)
    {
        var result = CliRunner.Run(command, "scenarios/timeout-chain.yaml", "--seed", seed);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"pipelinesim: --seed must be a whole number from 0 to 18446744073709551615, not '{seed}'.", result.StdErr.Trim());
    }

    [Theory]
    [InlineData("pipelinesim: --replications: 'abc' is not a whole number", "plan", "scenarios/idle-conns-hold-slots.yaml", "--conn-limit", "50:100:50", "--replications", "abc")]
    [InlineData("pipelinesim: --width: 'wide' is not a whole number", "plot", "runs/none", "--width=wide")]
    [InlineData("pipelinesim: --agents: '1e3' is not a whole number", "bench", "model", "--agents", "1e3")]
    public void A_value_of_the_wrong_type_is_answered_with_its_option_and_what_it_wants(string expected, params string[] args)
    {
        var result = CliRunner.RunIn(CliRunner.RepositoryRoot, args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(expected, result.StdErr.Trim());
    }

    /// <summary>The command names listed under COMMANDS: on a help page.</summary>
    private static List<string> Subcommands(string help)
    {
        int start = help.IndexOf("COMMANDS:", StringComparison.Ordinal);
        if (start < 0) return [];
        return help[(start + "COMMANDS:".Length)..].Split('\n')
            .Select(line => CommandLine().Match(line))
            .Where(match => match.Success)
            .Select(match => match.Groups[1].Value)
            .ToList();
    }

    [GeneratedRegex(@"^ {4}([a-z][a-z-]*)\b")]
    private static partial Regex CommandLine();
}
