using FsCheck.Xunit;
using PipelineSim.Analysis.Plots;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Tests.Plots;

public class TimeHistogramTests
{
    [Fact]
    public void Short_runs_keep_fine_bins()
    {
        var histogram = new TimeHistogram();
        histogram.Add(Instant.FromSeconds(0.05));
        histogram.Add(Instant.FromSeconds(0.25), 3);
        histogram.Add(Instant.FromSeconds(14.95));
        Assert.Equal(TimeSpan.FromMilliseconds(100), histogram.BinWidth);
        Assert.Equal(150, histogram.Counts.Length);
        Assert.Equal((1L, 3L, 1L), (histogram.Counts[0], histogram.Counts[2], histogram.Counts[149]));
        Assert.Equal(5, histogram.Total);
    }

    [Fact]
    public void An_hour_long_run_steps_up_to_one_minute_bins()
    {
        var histogram = new TimeHistogram();
        histogram.Add(Instant.FromSeconds(1));
        histogram.Add(Instant.FromSeconds(3599));
        Assert.Equal(TimeSpan.FromMinutes(1), histogram.BinWidth);
        Assert.Equal(60, histogram.Counts.Length);
        Assert.Equal((1L, 1L), (histogram.Counts[0], histogram.Counts[59]));
    }

    [Property(MaxTest = 200)]
    public bool Merged_bins_equal_binning_directly_at_the_final_width(uint[] millis)
    {
        var histogram = new TimeHistogram();
        foreach (uint ms in millis) histogram.Add(Instant.FromSeconds(ms / 1000.0));

        long width = histogram.BinWidth.Ticks;
        var direct = new long[histogram.Counts.Length];
        foreach (uint ms in millis) direct[Instant.FromSeconds(ms / 1000.0).Ticks / width]++;
        return histogram.Counts.SequenceEqual(direct) && histogram.Total == millis.Length
            && histogram.Counts.Length <= TimeHistogram.MaxBins;
    }

    [Fact]
    public void Widening_to_a_shared_width_keeps_the_counts()
    {
        var fine = new TimeHistogram();
        fine.Add(Instant.FromSeconds(0.5));
        fine.Add(Instant.FromSeconds(1.5));
        var coarse = new TimeHistogram();
        coarse.Add(Instant.FromSeconds(200));

        var width = TimeHistogram.CommonWidth([fine, coarse]);
        fine.WidenTo(width);
        Assert.Equal(TimeSpan.FromSeconds(2), width);
        Assert.Equal(coarse.BinWidth, fine.BinWidth);
        Assert.Equal([2L], fine.Counts.ToArray());
    }
}
