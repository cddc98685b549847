namespace PipelineSim.Analysis.Planning;

/// <summary>
/// The seed of each replication, derived from the sweep's base seed alone by SplitMix64 (Steele, Lea and Flood 2014):
/// replications draw independent streams, the same base seed gives the same seeds on any machine and in any shard, and
/// scheduling cannot change them. Replication r uses the same seed at every point of the grid (common random
/// numbers), so two points differ by their configuration rather than by luck of the draw.
/// </summary>
public static class PlanSeeds
{
    public static ulong ForReplication(ulong baseSeed, int replication)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replication);
        // The (r+1)-th output of a SplitMix64 generator started at the base seed.
        ulong z = unchecked(baseSeed + 0x9E3779B97F4A7C15UL * (ulong)(replication + 1));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
