using PipelineSim.Spec;

namespace PipelineSim.Live.Harness;

/// <summary>
/// A fleet of agents, each pushing on a fixed interval through a <c>pyroscope.write</c> (by default its own, with its
/// own connection pool, as every agent is a separate Alloy): the model's <c>SourceSpec</c>, field for field.
/// </summary>
public sealed record AgentFleetOptions
{
    public int Count { get; init; } = 1;

    public TimeSpan PushInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Each agent's first push at a seeded uniform offset in [0, jitter) after <see cref="Start"/>; null means the
    /// whole interval, zero starts them all at once. The offsets are the simulator's own draws for the same seed.
    /// </summary>
    public TimeSpan? PhaseJitter { get; init; }

    /// <summary>Profiles per push, each its own series (process_cpu, memory, ...), one sample each.</summary>
    public int ProfilesPerPush { get; init; } = 1;

    /// <summary>Compressed bytes of one profile: the kernel's distribution, as a scenario's <c>profile_bytes</c> gives it.</summary>
    public IDistribution ProfileBytes { get; init; } = Distributions.Constant(1024);

    /// <summary>All agents through one writer instance (one pool) instead of one writer each.</summary>
    public bool SharedWriter { get; init; }

    /// <summary>The deadline of each push's context (pyroscope.ebpf: its collect interval); null means none.</summary>
    public TimeSpan? PushTimeout { get; init; }

    /// <summary>When the agents start pushing (scenario time from the run's start).</summary>
    public TimeSpan Start { get; init; }

    /// <summary>When the agents stop starting pushes; null means the end of the run.</summary>
    public TimeSpan? Stop { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Count < 0) problems.Add($"count {Count} is negative");
        if (PushInterval <= TimeSpan.Zero) problems.Add("push_interval must be positive");
        if (PhaseJitter < TimeSpan.Zero) problems.Add("phase_jitter must not be negative");
        if (ProfilesPerPush < 1) problems.Add($"profiles_per_push {ProfilesPerPush} must be at least 1");
        if (PushTimeout <= TimeSpan.Zero) problems.Add("push_timeout must be positive");
        if (Start < TimeSpan.Zero) problems.Add("start must not be negative");
        if (Stop <= Start) problems.Add("stop must come after start");
        return problems;
    }
}
