using PipelineSim.Spec;

namespace PipelineSim.Live.Harness;

/// <summary>How a live pipeline runs: its clock and time scale, seed and metric sampling.</summary>
public sealed record LiveRunOptions
{
    /// <summary>Wall seconds per scenario second: at 0.05 a 10 s remote_timeout lasts 500 ms of real time.</summary>
    public double TimeScale { get; init; } = 1.0;

    public ulong Seed { get; init; }

    /// <summary>The fixed step (scenario time) of the metric time series; zero samples nothing.</summary>
    public TimeSpan SampleStep { get; init; } = PipelineSpec.DefaultSampleStep;

    /// <summary>Serve every component's metrics on one <c>/metrics</c> port, as one Alloy process does.</summary>
    public bool ServeMetrics { get; init; } = true;

    /// <summary>Where components report trouble they ride out, such as accept backing off at the descriptor limit.</summary>
    public Action<string>? Warn { get; init; }

    /// <summary>
    /// Where the run's clock reads time and sets its timers (null: the system's). Tests whose subject is timing pass a
    /// clock they move themselves, so every instant the components decide at is exact, whatever the machine's load.
    /// </summary>
    public TimeProvider? Time { get; init; }
}
