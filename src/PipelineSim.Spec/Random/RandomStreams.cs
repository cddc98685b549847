namespace PipelineSim.Spec;

/// <summary>
/// The named random streams of one run, all derived from its seed: the same object for the same name, and independent
/// of every other name, so adding a component never changes the draws of the others. The simulator and the live
/// driver both draw through it, so a scenario's randomness means the same in both.
/// </summary>
public sealed class RandomStreams(ulong seed)
{
    private readonly Dictionary<string, RandomStream> streams = new(StringComparer.Ordinal);

    public ulong Seed { get; } = seed;

    public RandomStream this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            if (!streams.TryGetValue(name, out var stream))
            {
                stream = new RandomStream(Seed, name);
                streams.Add(name, stream);
            }
            return stream;
        }
    }
}
