namespace PipelineSim.Model;

/// <summary>How to run a spec: overrides of its seed and duration, and a progress callback.</summary>
public sealed record RunOptions
{
    /// <summary>Replaces <see cref="Spec.PipelineSpec.Seed"/>.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Replaces <see cref="Spec.PipelineSpec.Duration"/>.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Called from the running thread about every half percent of simulated time, and once at the end.</summary>
    public Action<RunProgress>? Progress { get; init; }

    /// <summary>
    /// Checked between the slices that progress is reported for: a cancelled run stops there with an
    /// <see cref="OperationCanceledException"/> (the CLI cancels on SIGINT and SIGTERM so its outputs clean up).
    /// </summary>
    public CancellationToken Cancellation { get; init; }
}

/// <summary>How far a run has come.</summary>
public readonly record struct RunProgress(TimeSpan Simulated, TimeSpan Duration, long EventsProcessed, long PushesRecorded)
{
    public double Fraction => Duration > TimeSpan.Zero ? Math.Min(1, Simulated / Duration) : 1;
}
