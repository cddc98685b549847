namespace PipelineSim.Core.Tests.Retry;

/// <summary>A Random whose bounded 64-bit draws sit at a fixed fraction of the range, to pin exact delays.</summary>
internal sealed class FixedRandom(double fraction) : Random
{
    public int Draws { get; private set; }

    public override long NextInt64(long maxValue)
    {
        Draws++;
        return Math.Min(maxValue - 1, (long)(maxValue * fraction));
    }
}
