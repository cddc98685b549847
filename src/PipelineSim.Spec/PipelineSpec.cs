namespace PipelineSim.Spec;

/// <summary>
/// Everything one simulation run needs: what creates profiles (<see cref="Sources"/>), the components they flow
/// through (<see cref="Components"/>, referring to each other by name), the network between them (<see cref="Links"/>)
/// and what goes wrong (<see cref="Faults"/>). Plain immutable data: the scenario parser builds it, the model reads it.
/// </summary>
public sealed record PipelineSpec
{
    public string Name { get; init; } = "scenario";

    /// <summary>The longest <see cref="Name"/>: 100 characters, well within the 255 bytes a file name may have on
    /// Linux and Windows, with room for what the runs directory adds.</summary>
    public const int MaxNameLength = 100;

    /// <summary>
    /// Why <paramref name="name"/> cannot name a run, or null when it can. The name is where a run writes by default
    /// (<c>runs/NAME</c>) and what its records and plots are labelled with, so it must be one directory name: not empty,
    /// not <c>.</c> or <c>..</c>, without <c>/</c> or <c>\</c>, without control characters (a NUL ends a path in the
    /// operating system, a newline breaks every line it is printed on), and at most <see cref="MaxNameLength"/> long.
    /// </summary>
    public static string? NameProblem(string name)
    {
        if (name.Length == 0 || name is "." or ".." || name.IndexOfAny(['/', '\\']) >= 0)
            return $"\"{name}\" cannot name the output directory runs/{name}: give a single directory name, without / or \\";
        if (name.Any(char.IsControl))
            return $"\"{name}\" contains a control character, which cannot be part of a directory name: use letters, digits, - and _";
        if (name.Length > MaxNameLength)
            return $"is {name.Length} characters long; a name has at most {MaxNameLength}, as it names the output directory runs/NAME";
        return null;
    }

    /// <summary>Simulated time to run; pushes still running at the end are counted as in flight.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Master seed of every random stream; the same spec and seed give the same records.</summary>
    public ulong Seed { get; init; }

    /// <summary>Step of the sampled metric time series (the first sample is at time zero).</summary>
    public TimeSpan SampleStep { get; init; } = DefaultSampleStep;

    /// <summary>15 s, the default of <see cref="SampleStep"/> (and of a live pipeline's).</summary>
    public static readonly TimeSpan DefaultSampleStep = TimeSpan.FromSeconds(15);

    public IReadOnlyList<SourceSpec> Sources { get; init; } = [];

    /// <summary>Writers, receivers, backends and load balancers; names are unique across components and sources.</summary>
    public IReadOnlyList<ComponentSpec> Components { get; init; } = [];

    /// <summary>Network properties between two components; a pair without a link gets <see cref="NetworkSpec.DefaultRtt"/>.</summary>
    public IReadOnlyList<LinkSpec> Links { get; init; } = [];

    public IReadOnlyList<FaultSpec> Faults { get; init; } = [];

    /// <summary>Kernel TCP constants shared by every host.</summary>
    public NetworkSpec Network { get; init; } = NetworkSpec.Linux;
}
