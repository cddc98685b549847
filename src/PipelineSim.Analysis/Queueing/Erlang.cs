namespace PipelineSim.Analysis.Queueing;

/// <summary>
/// Erlang's formulas for c identical servers fed by Poisson arrivals with exponential service, offered load
/// A = λ·S erlangs (λ arrivals per second, S mean service time). Computed by the recursion
/// B(0) = 1, B(k) = A·B(k-1) / (k + A·B(k-1)), which never forms A^c or c! and so stays exact to rounding for
/// c in the hundreds of thousands (it underflows gracefully to 0 where the true value is below 1e-308).
/// </summary>
public static class Erlang
{
    /// <summary>Erlang B: the probability an arrival finds all <paramref name="servers"/> busy and is lost (M/M/c/c).</summary>
    public static double B(int servers, double offeredLoad)
    {
        CheckServers(servers, allowZero: true);
        CheckLoad(offeredLoad);
        double b = 1;
        for (int k = 1; k <= servers; k++) b = offeredLoad * b / (k + offeredLoad * b);
        return b;
    }

    /// <summary>
    /// Erlang C: the probability an arrival has to wait (M/M/c with an unbounded queue),
    /// C = B / (1 - ρ(1 - B)) with ρ = A/c. At A ≥ c the queue grows without bound and every arrival waits: 1.
    /// </summary>
    public static double C(int servers, double offeredLoad)
    {
        CheckServers(servers, allowZero: false);
        CheckLoad(offeredLoad);
        if (offeredLoad >= servers) return 1;
        double b = B(servers, offeredLoad);
        double rho = offeredLoad / servers;
        return b / (1 - rho * (1 - b));
    }

    /// <summary>Mean time in queue of M/M/c, W_q = C·S / (c - A); infinite when A ≥ c.</summary>
    public static TimeSpan MeanWait(int servers, double arrivalsPerSecond, TimeSpan meanServiceTime)
    {
        double load = OfferedLoad(arrivalsPerSecond, meanServiceTime);
        if (load >= servers) return TimeSpan.MaxValue;
        double seconds = C(servers, load) * meanServiceTime.TotalSeconds / (servers - load);
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Mean number waiting in M/M/c, L_q = C·A / (c - A); infinite when A ≥ c.</summary>
    public static double MeanQueueLength(int servers, double offeredLoad)
    {
        if (offeredLoad >= servers) return double.PositiveInfinity;
        return C(servers, offeredLoad) * offeredLoad / (servers - offeredLoad);
    }

    /// <summary>A = λ·S: the mean number of busy servers an infinite pool would have.</summary>
    public static double OfferedLoad(double arrivalsPerSecond, TimeSpan meanServiceTime)
    {
        if (!(arrivalsPerSecond >= 0) || double.IsInfinity(arrivalsPerSecond))
            throw new ArgumentOutOfRangeException(nameof(arrivalsPerSecond), arrivalsPerSecond, "An arrival rate is finite and not negative.");
        if (meanServiceTime < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(meanServiceTime), meanServiceTime, "A service time is not negative.");
        return arrivalsPerSecond * meanServiceTime.TotalSeconds;
    }

    /// <summary>
    /// The fewest servers whose Erlang B blocking is at most <paramref name="targetBlocking"/>: how many connection
    /// slots a load needs when arrivals that find no slot are lost. Runs the same recursion, stopping at the answer.
    /// </summary>
    public static int ServersForBlocking(double offeredLoad, double targetBlocking, int maxServers = 10_000_000)
    {
        CheckLoad(offeredLoad);
        if (!(targetBlocking > 0 && targetBlocking <= 1))
            throw new ArgumentOutOfRangeException(nameof(targetBlocking), targetBlocking, "A blocking target is in (0, 1].");
        double b = 1;
        for (int k = 0; k <= maxServers; k++)
        {
            if (k > 0) b = offeredLoad * b / (k + offeredLoad * b);
            if (b <= targetBlocking) return k;
        }
        throw new ArgumentOutOfRangeException(nameof(maxServers), maxServers, "The target needs more servers than the search allows.");
    }

    /// <summary>
    /// The fewest servers whose Erlang C probability of waiting is at most <paramref name="targetWait"/>: how many
    /// connection slots a load needs when arrivals that find none wait (in the accept backlog) rather than being
    /// lost. 0 for no load. Runs Erlang B's recursion once along c, with C = B / (1 - ρ(1 - B)) for c &gt; A.
    /// </summary>
    public static int ServersForWait(double offeredLoad, double targetWait, int maxServers = 10_000_000)
    {
        CheckLoad(offeredLoad);
        if (!(targetWait > 0 && targetWait <= 1))
            throw new ArgumentOutOfRangeException(nameof(targetWait), targetWait, "A wait target is in (0, 1].");
        if (offeredLoad == 0) return 0;
        double b = 1;
        for (int k = 1; k <= maxServers; k++)
        {
            b = offeredLoad * b / (k + offeredLoad * b);
            if (k > offeredLoad && b / (1 - offeredLoad / k * (1 - b)) <= targetWait) return k;
        }
        throw new ArgumentOutOfRangeException(nameof(maxServers), maxServers, "The target needs more servers than the search allows.");
    }

    private static void CheckServers(int servers, bool allowZero)
    {
        if (servers < 0 || (!allowZero && servers == 0))
            throw new ArgumentOutOfRangeException(nameof(servers), servers, allowZero ? "Servers are not negative." : "At least one server.");
    }

    private static void CheckLoad(double offeredLoad)
    {
        if (!(offeredLoad >= 0) || double.IsInfinity(offeredLoad))
            throw new ArgumentOutOfRangeException(nameof(offeredLoad), offeredLoad, "An offered load is finite and not negative.");
    }
}
