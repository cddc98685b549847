using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Queueing;

/// <summary>
/// Little's law, L = λ·W, for any stable system over a long enough window: mean number present equals arrival rate
/// times mean time spent. A check that a simulated or live run's figures agree with each other, and the bridge from a
/// measured push rate and latency to the number of connections they hold.
/// </summary>
public static class LittlesLaw
{
    /// <summary>L = λ·W.</summary>
    public static double MeanInSystem(double arrivalsPerSecond, double meanSecondsInSystem) => arrivalsPerSecond * meanSecondsInSystem;

    /// <summary>W = L / λ (0 when nothing arrives).</summary>
    public static double MeanTime(double meanInSystem, double arrivalsPerSecond) =>
        arrivalsPerSecond == 0 ? 0 : meanInSystem / arrivalsPerSecond;

    /// <summary>λ = L / W (0 when nothing stays).</summary>
    public static double ArrivalRate(double meanInSystem, double meanSecondsInSystem) =>
        meanSecondsInSystem == 0 ? 0 : meanInSystem / meanSecondsInSystem;

    /// <summary>
    /// The time-averaged number of intervals open during [<paramref name="from"/>, <paramref name="to"/>): the sum of
    /// each interval's overlap with the window divided by its length. Measured directly from records (e.g. pushes in
    /// flight), it is the L to compare against λ·W.
    /// </summary>
    public static double MeanOpen(IEnumerable<(Instant Start, Instant End)> intervals, Instant from, Instant to)
    {
        if (to <= from) throw new ArgumentOutOfRangeException(nameof(to), to, "The window must end after it starts.");
        long overlapTicks = 0;
        foreach (var (start, end) in intervals)
        {
            long open = Math.Min(end.Ticks, to.Ticks) - Math.Max(start.Ticks, from.Ticks);
            if (open > 0) overlapTicks += open;
        }
        return overlapTicks / (double)(to - from).Ticks;
    }
}
