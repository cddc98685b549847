namespace PipelineSim.Kernel;

/// <summary>
/// A level that changes over virtual time (connections open, queue length): its time-weighted mean, its maximum and,
/// for a threshold, how long it sat at or above it. Updates cost O(1) and keep no history.
/// </summary>
public sealed class TimeWeightedMonitor
{
    private readonly Simulation simulation;
    private readonly long start;
    private long lastChange;
    private double area; // integral of the level over ticks, up to lastChange
    private long timeAtOrAbove;

    public TimeWeightedMonitor(Simulation simulation, double initial = 0, double? threshold = null)
    {
        this.simulation = simulation ?? throw new ArgumentNullException(nameof(simulation));
        start = lastChange = simulation.Now;
        Current = Max = initial;
        Threshold = threshold;
    }

    public double Current { get; private set; }

    public double Max { get; private set; }

    public double? Threshold { get; }

    /// <summary>Time-weighted mean from creation to now; the current value when no time has passed.</summary>
    public double Mean
    {
        get
        {
            long now = simulation.Now;
            long span = now - start;
            return span == 0 ? Current : (area + Current * (now - lastChange)) / span;
        }
    }

    /// <summary>Ticks spent at or above <see cref="Threshold"/> up to now.</summary>
    public long TimeAtOrAbove
    {
        get
        {
            if (Threshold is not double level) throw new InvalidOperationException("The monitor has no threshold.");
            return timeAtOrAbove + (Current >= level ? simulation.Now - lastChange : 0);
        }
    }

    public void Set(double value)
    {
        long now = simulation.Now;
        long span = now - lastChange;
        area += Current * span;
        if (Threshold is double level && Current >= level) timeAtOrAbove += span;
        lastChange = now;
        Current = value;
        if (value > Max) Max = value;
    }

    public void Add(double delta) => Set(Current + delta);
}
