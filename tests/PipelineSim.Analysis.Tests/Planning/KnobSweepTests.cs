using PipelineSim.Analysis.Planning;

namespace PipelineSim.Analysis.Tests.Planning;

public class KnobSweepTests
{
    [Theory]
    [InlineData("10s:40s:10s", new[] { "10s", "20s", "30s", "40s" })]
    [InlineData("500ms:2s:500ms", new[] { "500ms", "1s", "1.5s", "2s" })]
    [InlineData("1:10:3", new[] { "1", "4", "7", "10" })]
    [InlineData("0.1:0.3:0.1", new[] { "0.1", "0.2", "0.30000000000000004" })]
    [InlineData("10,1,3,3", new[] { "1", "3", "10" })]
    [InlineData("1m,30s,90s", new[] { "30s", "1m", "90s" })]
    public void Grids_of_numbers_and_durations_come_out_ascending_and_distinct(string grid, string[] expected)
    {
        Assert.True(KnobSweep.TryParseGrid(grid, out var values, out string error), error);
        Assert.Equal(expected, values);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("1s:10:1", "all be numbers or all be durations")]
    [InlineData("1s:2s", "is not a range start:stop:step")]
    [InlineData("1:1000000:1", "has more than 1000 values")]
    [InlineData("3,lots", "'lots' is neither a number nor a Go duration")]
    public void Bad_grids_say_why(string grid, string expected)
    {
        Assert.False(KnobSweep.TryParseGrid(grid, out _, out string error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Settings_cross_the_knobs_with_the_last_one_fastest()
    {
        var grid = new PlanGrid([100, 200], null, [1])
        {
            Knobs = [new KnobSweep("components.w1.endpoints[0].remote_timeout", ["10s", "30s"]), new KnobSweep("components.w2.endpoints[0].max_backoff_retries", ["1", "3", "10"])],
        };
        Assert.Equal(6, grid.SettingCount);
        Assert.Equal(12, grid.PointCount);
        Assert.Equal("w1.remote_timeout=30s, w2.max_backoff_retries=3", grid.SettingLabel(4));
        var points = grid.Points();
        Assert.Equal(12, points.Count);
        // conn_limit fastest, then the setting: each group's points are consecutive.
        Assert.Equal([(100, 0), (200, 0), (100, 1)], points.Take(3).Select(p => (p.ConnLimit, p.Setting)));
    }

    [Fact]
    public void The_cheapest_group_follows_the_preferences_in_order()
    {
        var grid = new PlanGrid([100], null, [1])
        {
            Knobs = [new KnobSweep("components.w1.x", ["10s", "30s"], KnobPreference.Low), new KnobSweep("components.w2.y", ["1", "3"], KnobPreference.High)],
        };
        GroupPlan Group(int setting, int? recommended) => new()
        {
            FleetSize = null, Replicas = 1, Setting = setting, Points = [], Sufficient = null, Recommended = recommended,
            Analytic = null, Comparison = [], Notes = [], Footprint = null, Label = "",
        };
        // Settings: 0 = (10s, 1), 1 = (10s, 3), 2 = (30s, 1), 3 = (30s, 3).
        Assert.Equal(1, PlanEvaluator.Cheapest(grid, [Group(0, 150), Group(1, 200), Group(2, 100), Group(3, 100)])!.Setting);
        Assert.Equal(2, PlanEvaluator.Cheapest(grid, [Group(0, null), Group(1, null), Group(2, 150), Group(3, null)])!.Setting);
        Assert.Null(PlanEvaluator.Cheapest(grid, [Group(0, null)]));
    }

    [Fact]
    public void Costlier_settings_that_failed_are_named_beside_the_choice()
    {
        var grid = new PlanGrid([100], null, [1])
        {
            Knobs = [new KnobSweep("components.w1.x", ["10s", "30s"], KnobPreference.Low), new KnobSweep("components.w2.y", ["1", "3", "5"], KnobPreference.High)],
        };
        GroupPlan Group(int setting, int? recommended) => new()
        {
            FleetSize = null, Replicas = 1, Setting = setting, Points = [], Sufficient = null, Recommended = recommended,
            Analytic = null, Comparison = [], Notes = [], Footprint = null, Label = "",
        };
        // Settings: 0 = (10s, 1), 1 = (10s, 3), 2 = (10s, 5), 3 = (30s, 1), 4 = (30s, 3), 5 = (30s, 5).
        Assert.True(PlanEvaluator.CompareKnobCost(grid, 2, 1) < 0); // y high is cheaper
        Assert.True(PlanEvaluator.CompareKnobCost(grid, 0, 5) < 0); // x low decides first
        Assert.Equal(0, PlanEvaluator.CompareKnobCost(grid, 4, 4));

        // (10s, 5) failed, (10s, 3) is chosen, and the costlier (10s, 1) and (30s, 5) failed too: noise or no monotony.
        GroupPlan[] groups = [Group(0, null), Group(1, 100), Group(2, null), Group(3, 100), Group(4, 100), Group(5, null)];
        var choice = PlanEvaluator.Cheapest(grid, groups)!;
        Assert.Equal(1, choice.Setting);
        Assert.Equal([0, 5], PlanEvaluator.CostlierFailing(grid, groups, choice).Select(g => g.Setting));
        Assert.Empty(PlanEvaluator.CostlierFailing(grid, [Group(0, 100), Group(1, 100), Group(2, null)], choice));
    }
}
