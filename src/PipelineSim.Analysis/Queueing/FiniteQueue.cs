namespace PipelineSim.Analysis.Queueing;

/// <summary>
/// The M/M/c/K queue: c servers and room for K customers in all (c serving, K - c waiting); an arrival that finds
/// K present is turned away. For a receiver, c is <c>conn_limit</c> and K - c the accept backlog: a connection
/// that finds the backlog full is a SYN drop.
/// </summary>
public sealed record FiniteQueue
{
    /// <summary>Probability an arrival finds the system full and is turned away (p_K).</summary>
    public required double BlockingProbability { get; init; }

    /// <summary>Mean number present, serving or waiting (L).</summary>
    public required double MeanInSystem { get; init; }

    /// <summary>Mean number waiting (L_q).</summary>
    public required double MeanInQueue { get; init; }

    /// <summary>Arrivals admitted per second, λ(1 - p_K).</summary>
    public required double Throughput { get; init; }

    /// <summary>Mean time an admitted arrival spends in the system, L / throughput (Little).</summary>
    public required TimeSpan MeanTimeInSystem { get; init; }

    /// <summary>Mean time an admitted arrival waits before service, L_q / throughput.</summary>
    public required TimeSpan MeanWait { get; init; }

    /// <summary>Probability an admitted arrival has to wait (all c servers busy, room in the queue).</summary>
    public required double WaitProbability { get; init; }

    /// <summary>
    /// Solves M/M/c/K. The stationary probabilities p_n ∝ A^n/n! (n ≤ c) and A^c/c!·ρ^(n-c) (n > c) are formed as
    /// weights relative to the most likely state m, walking outwards with the ratio w_n / w_(n-1) = A / min(n, c):
    /// no A^n or n! is ever formed, no weight exceeds 1, weights far from m underflow harmlessly to 0, and the
    /// rounding error grows only with the square root of the steps. Exact to about 1e-13 for c and K in the hundreds
    /// of thousands, and sound for ρ above 1 (a finite queue is always stable). Cost O(K).
    /// </summary>
    public static FiniteQueue Solve(int servers, int capacity, double arrivalsPerSecond, TimeSpan meanServiceTime)
    {
        if (servers < 1) throw new ArgumentOutOfRangeException(nameof(servers), servers, "At least one server.");
        if (capacity < servers)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The capacity K counts the servers, so K ≥ c.");
        double load = Erlang.OfferedLoad(arrivalsPerSecond, meanServiceTime);
        if (load == 0)
        {
            return new FiniteQueue
            {
                BlockingProbability = 0, MeanInSystem = 0, MeanInQueue = 0, Throughput = 0,
                MeanTimeInSystem = meanServiceTime, MeanWait = TimeSpan.Zero, WaitProbability = 0,
            };
        }

        // The weights rise while A / min(n, c) ≥ 1: up to ⌊A⌋ when A < c, all the way to K otherwise.
        int mode = load < servers ? (int)Math.Min(Math.Floor(load), capacity) : capacity;
        var weights = new double[capacity + 1];
        weights[mode] = 1;
        for (int n = mode + 1; n <= capacity; n++) weights[n] = weights[n - 1] * load / Math.Min(n, servers);
        for (int n = mode - 1; n >= 0; n--) weights[n] = weights[n + 1] * Math.Min(n + 1, servers) / load;

        double total = 0, inSystem = 0, inQueue = 0, waiting = 0;
        for (int n = 0; n <= capacity; n++)
        {
            double w = weights[n];
            total += w;
            inSystem += n * w;
            if (n > servers) inQueue += (n - servers) * w;
            if (n >= servers && n < capacity) waiting += w;
        }

        double blocking = weights[capacity] / total;
        double throughput = arrivalsPerSecond * (1 - blocking);
        double meanInSystem = inSystem / total;
        double meanInQueue = inQueue / total;
        return new FiniteQueue
        {
            BlockingProbability = blocking,
            MeanInSystem = meanInSystem,
            MeanInQueue = meanInQueue,
            Throughput = throughput,
            MeanTimeInSystem = TimeSpan.FromSeconds(LittlesLaw.MeanTime(meanInSystem, throughput)),
            MeanWait = TimeSpan.FromSeconds(LittlesLaw.MeanTime(meanInQueue, throughput)),
            // PASTA: an arrival sees the stationary state; admitted arrivals are those that do not see n = K.
            WaitProbability = waiting / total / (1 - blocking),
        };
    }
}
