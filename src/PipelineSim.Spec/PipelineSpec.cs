namespace PipelineSim.Spec;

/// <summary>
/// Everything one simulation run needs: what creates profiles (<see cref="Sources"/>), the components they flow
/// through (<see cref="Components"/>, referring to each other by name), the network between them (<see cref="Links"/>)
/// and what goes wrong (<see cref="Faults"/>). Plain immutable data: the scenario parser builds it, the model reads it.
/// </summary>
public sealed record PipelineSpec
{
    public string Name { get; init; } = "scenario";

    /// <summary>Simulated time to run; pushes still running at the end are counted as in flight.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Master seed of every random stream; the same spec and seed give the same records.</summary>
    public ulong Seed { get; init; }

    /// <summary>Step of the sampled metric time series (the first sample is at time zero).</summary>
    public TimeSpan SampleStep { get; init; } = TimeSpan.FromSeconds(15);

    public IReadOnlyList<SourceSpec> Sources { get; init; } = [];

    /// <summary>Writers, receivers, backends and load balancers; names are unique across components and sources.</summary>
    public IReadOnlyList<ComponentSpec> Components { get; init; } = [];

    /// <summary>Network properties between two components; a pair without a link gets <see cref="NetworkSpec.DefaultRtt"/>.</summary>
    public IReadOnlyList<LinkSpec> Links { get; init; } = [];

    public IReadOnlyList<FaultSpec> Faults { get; init; } = [];

    /// <summary>Kernel TCP constants shared by every host.</summary>
    public NetworkSpec Network { get; init; } = NetworkSpec.Linux;
}
