using PipelineSim.Core.Time;

namespace PipelineSim.Core.Agents;

/// <summary>
/// One agent of a Poisson source: pushes at arrival instants whose gaps are exponential with mean
/// <see cref="MeanGap"/> (the source's push interval), the first one gap after the start (the process is memoryless,
/// so it needs no phase). A fleet of n such agents is a Poisson process of rate n / interval, the same mean rate as
/// n Go tickers. It is an open source: an arrival pushes even while the agent's earlier pushes still run (they are
/// counted in <see cref="Overlapping"/>), so the load offered does not shrink when the pipeline slows down, as the
/// queueing formulas assume. A real agent's ticker does the opposite (<see cref="AgentTicker"/> skips the tick).
/// Sans I/O: the driver feeds <c>now</c> and uniform draws in [0, 1), one per gap, in arrival order.
/// </summary>
public sealed class PoissonArrivals : IAgentSchedule
{
    private readonly Func<double> uniform;
    private int running;

    /// <param name="uniform">The driver's seeded draw: a uniform double in [0, 1).</param>
    public PoissonArrivals(Instant start, TimeSpan meanGap, Instant stop, Func<double> uniform)
    {
        if (meanGap <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(meanGap), meanGap, "The mean gap must be positive.");
        ArgumentNullException.ThrowIfNull(uniform);
        MeanGap = meanGap;
        Stop = stop;
        this.uniform = uniform;
        First = start + Gap(meanGap, uniform());
    }

    public TimeSpan MeanGap { get; }

    public Instant Stop { get; }

    public Instant First { get; }

    /// <summary>Never anything: an open source does not skip.</summary>
    public long SkippedTicks => 0;

    /// <summary>Arrivals that came while an earlier push of this agent still ran (and pushed anyway).</summary>
    public long Overlapping { get; private set; }

    /// <summary>Pushes of this agent running now.</summary>
    public int Running => running;

    /// <summary>
    /// The exponential gap of mean <paramref name="mean"/> for the draw <paramref name="u"/> in [0, 1), by inversion:
    /// −mean·ln(1 − u), rounded to the nearest tick (so two arrivals may share an instant; the driver's FIFO order
    /// keeps them apart). Saturates rather than overflows for a draw next to 1.
    /// </summary>
    public static TimeSpan Gap(TimeSpan mean, double u)
    {
        if (!(u >= 0 && u < 1)) throw new ArgumentOutOfRangeException(nameof(u), u, "A uniform draw is in [0, 1).");
        double ticks = Math.Round(-mean.Ticks * Math.Log(1 - u));
        return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>An arrival at <paramref name="now"/>: push (whatever runs), the next arrival one fresh gap later.</summary>
    public AgentTick OnTick(Instant now)
    {
        if (now >= Stop) return new AgentTick(AgentTickKind.Stopped, Instant.MaxValue);
        if (running > 0) Overlapping++;
        running++;
        return new AgentTick(AgentTickKind.Push, now + Gap(MeanGap, uniform()));
    }

    /// <summary>A push ended; an open source never pushes because of it (false).</summary>
    public bool OnPushDone(Instant now)
    {
        if (running == 0) throw new InvalidOperationException("No push of this agent is running.");
        running--;
        return false;
    }
}
