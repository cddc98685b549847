using PipelineSim.Analysis.Queueing;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Tests.Queueing;

public class LittlesLawTests
{
    [Fact]
    public void The_three_forms_agree()
    {
        Assert.Equal(20, LittlesLaw.MeanInSystem(arrivalsPerSecond: 40, meanSecondsInSystem: 0.5));
        Assert.Equal(0.5, LittlesLaw.MeanTime(meanInSystem: 20, arrivalsPerSecond: 40));
        Assert.Equal(40, LittlesLaw.ArrivalRate(meanInSystem: 20, meanSecondsInSystem: 0.5));
        Assert.Equal(0, LittlesLaw.MeanTime(5, 0));
    }

    [Fact]
    public void Mean_open_intervals_measured_from_records_equal_rate_times_time()
    {
        // One push every 2 s lasting 3 s, over 100 s: λ = 0.5/s, W = 3 s, so L = 1.5.
        var pushes = Enumerable.Range(0, 60)
            .Select(i => (Instant.FromSeconds(i * 2), Instant.FromSeconds(i * 2 + 3)));
        double measured = LittlesLaw.MeanOpen(pushes, Instant.FromSeconds(10), Instant.FromSeconds(110));
        Assert.Equal(LittlesLaw.MeanInSystem(0.5, 3), measured, 12);
    }

    [Fact]
    public void Only_the_overlap_with_the_window_counts()
    {
        var one = new[] { (Instant.FromSeconds(0), Instant.FromSeconds(10)) };
        Assert.Equal(0.25, LittlesLaw.MeanOpen(one, Instant.FromSeconds(8), Instant.FromSeconds(16)));
        Assert.Throws<ArgumentOutOfRangeException>(() => LittlesLaw.MeanOpen(one, Instant.FromSeconds(1), Instant.FromSeconds(1)));
    }
}
