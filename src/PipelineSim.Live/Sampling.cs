namespace PipelineSim.Live;

/// <summary>Draws shared by the live components' distributions.</summary>
internal static class Sampling
{
    /// <summary>
    /// A log-normal draw with the given mean (not median): the underlying normal has mu = ln(mean) - sigma²/2.
    /// One standard normal by Box-Muller from two uniforms.
    /// </summary>
    public static double LogNormal(Random random, double mean, double sigma)
    {
        if (mean <= 0) return 0;
        double mu = Math.Log(mean) - sigma * sigma / 2;
        double normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return Math.Exp(mu + sigma * normal);
    }
}
