namespace PipelineSim.Live.Harness;

/// <summary>Profile sizes: fixed at <paramref name="MeanBytes"/> when <paramref name="Sigma"/> is 0, else log-normal with that mean.</summary>
public sealed record ProfileSize(int MeanBytes, double Sigma = 0)
{
    public int Sample(Random random) => Sigma <= 0 || MeanBytes <= 0
        ? Math.Max(0, MeanBytes)
        : (int)Math.Min(int.MaxValue / 2, Math.Round(Sampling.LogNormal(random, MeanBytes, Sigma)));
}

/// <summary>
/// A fleet of agents, each pushing on a fixed interval through a <c>pyroscope.write</c> (by default its own, with its
/// own connection pool, as every agent is a separate Alloy).
/// </summary>
public sealed record AgentFleetOptions
{
    public int Count { get; init; } = 1;

    public TimeSpan PushInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Each agent's first push at a seeded uniform offset in [0, interval); false starts them all at once.</summary>
    public bool RandomPhase { get; init; } = true;

    /// <summary>Profiles per push, each its own series (process_cpu, memory, ...), one sample each.</summary>
    public int ProfilesPerPush { get; init; } = 1;

    public ProfileSize ProfileBytes { get; init; } = new(1024);

    /// <summary>All agents through one writer instance (one pool) instead of one writer each.</summary>
    public bool SharedWriter { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Count < 0) problems.Add($"count {Count} is negative");
        if (PushInterval <= TimeSpan.Zero) problems.Add("push_interval must be positive");
        if (ProfilesPerPush < 1) problems.Add($"profiles_per_push {ProfilesPerPush} must be at least 1");
        if (ProfileBytes.MeanBytes < 0 || ProfileBytes.Sigma < 0) problems.Add("profile size must not be negative");
        return problems;
    }
}
