namespace PipelineSim.Spec;

/// <summary>A named pipeline component; others refer to it by <see cref="Name"/> (in endpoint URLs, forward_to, targets).</summary>
public abstract record ComponentSpec
{
    public required string Name { get; init; }
}
