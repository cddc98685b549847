namespace PipelineSim.Analysis.Queueing;

/// <summary>
/// Erlang A, the M/M/c+M queue: Poisson arrivals at λ, c servers with exponential service of mean S, an unbounded
/// queue, and exponential patience of mean P: a waiting customer leaves (abandons) when its patience runs out before
/// a server takes it; once served it stays. For a pipeline: c is a backend's <c>concurrency</c>, the patience the
/// push deadline (<c>push_timeout: exponential(P)</c>), and the backend drops a queued push whose client gave up.
/// Always stable: abandonment bounds the queue even at A ≥ c.
/// </summary>
public sealed record ErlangA
{
    /// <summary>Probability an arrival abandons before service: θ·L_q / λ with θ = 1/P (each waiting customer leaves at rate θ).</summary>
    public required double AbandonmentProbability { get; init; }

    /// <summary>Probability an arrival finds every server busy and waits (PASTA: the stationary P(n ≥ c)).</summary>
    public required double WaitProbability { get; init; }

    /// <summary>Mean number waiting (L_q).</summary>
    public required double MeanInQueue { get; init; }

    /// <summary>Mean time in queue over all arrivals, served or not, L_q / λ (Little).</summary>
    public required TimeSpan MeanWait { get; init; }

    /// <summary>Arrivals served per second, λ(1 − P(abandon)).</summary>
    public required double Throughput { get; init; }

    /// <summary>
    /// Probability a push fails at its client: it abandons in the queue, or its deadline passes while it is served
    /// (the server finishes anyway). By memorylessness the patience left when service starts is again exponential of
    /// mean P, so a served push outlives its deadline with probability θ / (θ + μ).
    /// </summary>
    public double DeadlineMissProbability(TimeSpan meanServiceTime, TimeSpan meanPatience)
    {
        double mu = 1 / meanServiceTime.TotalSeconds, theta = 1 / meanPatience.TotalSeconds;
        return AbandonmentProbability + (1 - AbandonmentProbability) * theta / (theta + mu);
    }

    /// <summary>
    /// Solves M/M/c+M from its birth-death chain: births at λ, deaths at min(n, c)·μ + max(n − c, 0)·θ. As in
    /// <see cref="FiniteQueue.Solve"/>, the weights are formed relative to the most likely state and walked outwards
    /// by the ratio of birth to death rates, so nothing overflows; above c the ratio λ / (cμ + jθ) falls to 0, and the
    /// walk stops once a weight is below 1e-18 of the largest with the ratio below 1.
    /// </summary>
    public static ErlangA Solve(int servers, double arrivalsPerSecond, TimeSpan meanServiceTime, TimeSpan meanPatience)
    {
        if (servers < 1) throw new ArgumentOutOfRangeException(nameof(servers), servers, "At least one server.");
        if (!(meanServiceTime > TimeSpan.Zero))
            throw new ArgumentOutOfRangeException(nameof(meanServiceTime), meanServiceTime, "A mean service time is positive.");
        if (!(meanPatience > TimeSpan.Zero))
            throw new ArgumentOutOfRangeException(nameof(meanPatience), meanPatience, "A mean patience is positive.");
        double lambda = arrivalsPerSecond;
        Erlang.OfferedLoad(lambda, meanServiceTime); // checks the rate
        if (lambda == 0)
        {
            return new ErlangA { AbandonmentProbability = 0, WaitProbability = 0, MeanInQueue = 0, MeanWait = TimeSpan.Zero, Throughput = 0 };
        }
        double mu = 1 / meanServiceTime.TotalSeconds, theta = 1 / meanPatience.TotalSeconds;
        double Death(int n) => Math.Min(n, servers) * mu + Math.Max(n - servers, 0) * theta;

        // The mode: the first state whose next birth/death ratio is below 1 (the ratio only falls as n grows).
        int mode = 0;
        while (lambda / Death(mode + 1) >= 1) mode++;
        var above = new List<double> { 1 };
        for (int n = mode + 1; ; n++)
        {
            double w = above[^1] * lambda / Death(n);
            above.Add(w);
            if (w < 1e-18) break;
        }
        var below = new double[mode];
        double next = 1;
        for (int n = mode - 1; n >= 0; n--) below[n] = next = next * Death(n + 1) / lambda;

        double total = 0, waiting = 0, inQueue = 0;
        for (int n = 0; n < mode + above.Count; n++)
        {
            double w = n < mode ? below[n] : above[n - mode];
            total += w;
            if (n >= servers) waiting += w;
            if (n > servers) inQueue += (n - servers) * w;
        }
        double meanInQueue = inQueue / total;
        double abandonment = theta * meanInQueue / lambda;
        return new ErlangA
        {
            AbandonmentProbability = abandonment,
            WaitProbability = waiting / total,
            MeanInQueue = meanInQueue,
            MeanWait = TimeSpan.FromSeconds(LittlesLaw.MeanTime(meanInQueue, lambda)),
            Throughput = lambda * (1 - abandonment),
        };
    }
}
