using PipelineSim.Analysis.Planning;

namespace PipelineSim.Analysis.Tests.Planning;

public class IntegerGridTests
{
    [Theory]
    [InlineData("1000:5000:1000", new[] { 1000, 2000, 3000, 4000, 5000 })]
    [InlineData("50:200:50", new[] { 50, 100, 150, 200 })]
    [InlineData("10:25:10", new[] { 10, 20 })] // stop is included only when a step lands on it
    [InlineData("7:7:1", new[] { 7 })]
    [InlineData(" 16384, 4096 ,8192", new[] { 4096, 8192, 16384 })] // a list comes out ascending
    [InlineData("100", new[] { 100 })]
    public void Reads_ranges_and_lists(string text, int[] expected)
    {
        Assert.True(IntegerGrid.TryParse(text, 1, out var values, out string error), error);
        Assert.Equal(expected, values);
    }

    [Theory]
    [InlineData("200:50:10", "stop 50 is below start 200")]
    [InlineData("50:200:0", "step must be at least 1")]
    [InlineData("0:200:50", "start must be at least 1")]
    [InlineData("1:2000000:1", "more than 10,000")]
    [InlineData("50:200", "not a range start:stop:step")]
    [InlineData("50:x:10", "stop 'x' is not a whole number")]
    [InlineData("4096,4096", "listed twice")]
    [InlineData("4096,0", "below the minimum of 1")]
    [InlineData("4096,,8192", "missing")]
    [InlineData("", "is empty")]
    public void Rejects_bad_grids_and_names_the_problem(string text, string expected)
    {
        Assert.False(IntegerGrid.TryParse(text, 1, out _, out string error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Format_reads_back_to_the_same_values()
    {
        Assert.True(IntegerGrid.TryParse("100:1000:300", 1, out var values, out _));
        Assert.True(IntegerGrid.TryParse(IntegerGrid.Format(values), 1, out var again, out _));
        Assert.Equal(values, again);
    }

    [Fact]
    public void Points_vary_conn_limit_fastest_then_replicas_then_fleet()
    {
        var grid = new PlanGrid([10, 20], new FleetSweep("agents", [100, 200]), [1, 2]);
        var points = grid.Points();
        Assert.Equal(grid.PointCount, points.Count);
        Assert.Equal(Enumerable.Range(0, 8), points.Select(p => p.Index));
        Assert.Equal([10, 20, 10, 20, 10, 20, 10, 20], points.Select(p => p.ConnLimit));
        Assert.Equal([1, 1, 2, 2, 1, 1, 2, 2], points.Select(p => p.Replicas));
        Assert.Equal([100, 100, 100, 100, 200, 200, 200, 200], points.Select(p => p.FleetSize!.Value));
    }
}
