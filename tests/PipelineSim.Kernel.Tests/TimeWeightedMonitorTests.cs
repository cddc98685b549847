namespace PipelineSim.Kernel.Tests;

public class TimeWeightedMonitorTests
{
    [Fact]
    public void Mean_max_and_time_above_are_weighted_by_time()
    {
        var sim = new Simulation();
        var level = new TimeWeightedMonitor(sim, initial: 0, threshold: 2);
        IEnumerable<Wait> Script()
        {
            yield return Wait.Delay(10);
            level.Set(4); // 0 for 10 ticks
            yield return Wait.Delay(5);
            level.Add(-2); // 4 for 5 ticks
            yield return Wait.Delay(5);
            level.Set(1); // 2 for 5 ticks
            yield return Wait.Delay(20); // 1 for 20 ticks
        }
        sim.Start(Script());
        sim.Run();
        Assert.Equal((0 * 10 + 4 * 5 + 2 * 5 + 1 * 20) / 40.0, level.Mean, precision: 12);
        Assert.Equal(4, level.Max);
        Assert.Equal(10, level.TimeAtOrAbove);
        Assert.Equal(1, level.Current);
    }

    [Fact]
    public void Time_above_needs_a_threshold() =>
        Assert.Throws<InvalidOperationException>(() => new TimeWeightedMonitor(new Simulation()).TimeAtOrAbove);
}
