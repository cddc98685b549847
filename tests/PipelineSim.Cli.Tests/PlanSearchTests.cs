namespace PipelineSim.Cli.Tests;

/// <summary><c>plan --search bisect</c> against the full grid on the shipped scenario.</summary>
public sealed class PlanSearchTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private static readonly string[] Sweep =
        ["plan", RepositoryPaths.Scenario("idle-conns-hold-slots.yaml"), "--conn-limit", "10:300:10", "--replications", "2",
         "--duration", "5m", "--slo", "delivered>=99%"];

    [Fact]
    public void Bisection_finds_the_full_grid_s_limit_with_at_least_three_times_fewer_runs()
    {
        var grid = CliRunner.Run([.. Sweep, "--out", Path.Combine(temp.Path, "grid")]);
        var bisect = CliRunner.Run([.. Sweep, "--search", "bisect", "--out", Path.Combine(temp.Path, "bisect")]);
        Assert.True(grid.ExitCode == 0, grid.StdOut + grid.StdErr);
        Assert.True(bisect.ExitCode == 0, bisect.StdOut + bisect.StdErr);

        string Recommendation(string output) => output.Split('\n').Single(l => l.StartsWith("recommended conn_limit:", StringComparison.Ordinal));
        Assert.Equal(Recommendation(grid.StdOut), Recommendation(bisect.StdOut));
        Assert.Contains("smallest sufficient 150", Recommendation(bisect.StdOut));

        int gridRuns = File.ReadLines(Path.Combine(temp.Path, "grid", "plan.csv")).Count() - 1;
        int bisectRuns = File.ReadLines(Path.Combine(temp.Path, "bisect", "plan.csv")).Count() - 1;
        Assert.Equal(60, gridRuns);
        Assert.True(bisectRuns * 3 <= gridRuns, $"bisection ran {bisectRuns} of {gridRuns}");
        Assert.Contains($"bisection: {bisectRuns} runs instead of 60 for the full grid", bisect.StdOut);

        // Replication r has one seed at every point, so a probed point's runs are the grid's runs of that point.
        var gridRows = File.ReadLines(Path.Combine(temp.Path, "grid", "plan.csv")).Skip(1).Select(Columns).ToList();
        foreach (var row in File.ReadLines(Path.Combine(temp.Path, "bisect", "plan.csv")).Skip(1).Select(Columns))
        {
            var same = gridRows.Single(g => g[2] == row[2] && g[5] == row[5]); // conn_limit, replication
            Assert.Equal(same[6..], row[6..]); // seed and every figure
        }
    }

    [Fact]
    public void Bisection_cannot_be_sharded()
    {
        var result = CliRunner.Run([.. Sweep, "--search", "bisect", "--shard", "0/2", "--out", Path.Combine(temp.Path, "shard")]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--search bisect: runs as one process, so it cannot be sharded", result.StdErr);
    }

    private static string[] Columns(string line) => line.Split(',');
}
