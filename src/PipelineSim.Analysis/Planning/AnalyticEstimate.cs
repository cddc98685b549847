using PipelineSim.Analysis.Queueing;

namespace PipelineSim.Analysis.Planning;

/// <summary>How a receiver's connections are occupied, which decides the formula for the slots it needs.</summary>
public enum ConnectionRegime
{
    /// <summary>Every client keeps its keep-alive connection between pushes: one slot per connected client.</summary>
    KeepAliveHeld,

    /// <summary>Connections are held only while a request runs: slots follow the load, Erlang C / M/M/c/K.</summary>
    LoadDriven,

    /// <summary>Some clients hold connections, the others' requests need slots while they run.</summary>
    Mixed,
}

/// <summary>
/// The queueing answer beside the simulated one, per receiver instance. Clients that hold a keep-alive connection
/// for good need a slot each, whatever the load. The others' requests form an M/M/c queue: they arrive at the
/// measured rate λ (their share of it) and each holds a slot for its hold time, the measured service time S plus,
/// when keep-alives are on, the idle timeout that closes the connection afterwards; their offered load is
/// A = λ·hold. Erlang C gives the fewest slots c whose probability of waiting for accept is at most
/// <see cref="WaitTarget"/>, and M/M/c/K with K = c + accept backlog the probability of a SYN drop there. The
/// formulas assume Poisson arrivals and exponential holding: exact for sources with <c>arrivals: poisson</c> (the
/// textbook checks in tests/PipelineSim.Analysis.Tests/Queueing/TextbookQueueTests.cs hold the model to them), while
/// Go-ticker agents at random phases arrive more evenly than Poisson (they wait less) and retries in waves less evenly.
/// </summary>
public sealed record AnalyticEstimate
{
    public required ConnectionRegime Regime { get; init; }

    /// <summary>Agents holding a connection, whole fleet.</summary>
    public required long HoldingClients { get; init; }

    /// <summary>The held connections one instance carries: ⌈clients / replicas⌉ (least-connections spreads them evenly).</summary>
    public required long HeldPerInstance { get; init; }

    /// <summary>Requests per second arriving at one instance, measured at the group's largest conn_limit.</summary>
    public required double ArrivalRate { get; init; }

    /// <summary>Mean time a successful request held its connection, seconds (measured).</summary>
    public required double ServiceTime { get; init; }

    /// <summary>A = λ·S for all of one instance's requests: the mean number in progress.</summary>
    public required double OfferedLoad { get; init; }

    /// <summary>How long one of the load-driven requests holds its slot: S plus the idle timeout after it, seconds.</summary>
    public required double HoldTime { get; init; }

    /// <summary>Slots the clients without a connection of their own keep busy on average: their λ times <see cref="HoldTime"/>.</summary>
    public required double LoadDrivenLoad { get; init; }

    /// <summary>The probability of waiting for accept that Erlang C's answer allows.</summary>
    public required double WaitTarget { get; init; }

    /// <summary>Slots Erlang C gives the load-driven part.</summary>
    public required int ErlangSlots { get; init; }

    /// <summary>Slots Erlang C would give all of the load, had no client held a connection.</summary>
    public required int ErlangSlotsForAllLoad { get; init; }

    /// <summary>The analytic conn_limit per instance: held connections plus the load-driven slots.</summary>
    public required long Slots { get; init; }

    /// <summary>M/M/c/K blocking (a SYN drop) of the load-driven part at its Erlang slots, K = slots + accept backlog.</summary>
    public required double SynDropProbability { get; init; }

    /// <param name="holding">Clients holding connections and the push rates, at this group's fleet size.</param>
    /// <param name="arrivalRate">Measured requests per second at all instances together.</param>
    /// <param name="serviceTime">Measured mean service time, seconds.</param>
    public static AnalyticEstimate Compute(ConnectionHolding holding, int replicas, double arrivalRate, double serviceTime,
        double waitTarget, int acceptBacklog)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        if (!(waitTarget > 0 && waitTarget < 1)) throw new ArgumentOutOfRangeException(nameof(waitTarget), waitTarget, "A wait target is in (0, 1).");
        double perInstance = arrivalRate / replicas;
        double load = Erlang.OfferedLoad(perInstance, TimeSpan.FromSeconds(serviceTime));
        // Requests from holding clients ride their held connections; the rest hold a slot for S and the idle after it.
        double loadDrivenRate = perInstance * holding.LoadDrivenShare;
        double hold = serviceTime + holding.OtherIdleHoldSeconds;
        double loadDriven = Erlang.OfferedLoad(loadDrivenRate, TimeSpan.FromSeconds(hold));
        long held = (holding.Clients + replicas - 1) / replicas;
        int slots = Erlang.ServersForWait(loadDriven, waitTarget);
        var regime = (held > 0, loadDriven > 0) switch
        {
            (false, _) => ConnectionRegime.LoadDriven,
            (true, false) => ConnectionRegime.KeepAliveHeld,
            (true, true) => ConnectionRegime.Mixed,
        };
        double synDrops = slots == 0
            ? 0
            : FiniteQueue.Solve(slots, slots + acceptBacklog, loadDrivenRate, TimeSpan.FromSeconds(hold)).BlockingProbability;
        return new AnalyticEstimate
        {
            Regime = regime,
            HoldingClients = holding.Clients,
            HeldPerInstance = held,
            ArrivalRate = perInstance,
            ServiceTime = serviceTime,
            OfferedLoad = load,
            HoldTime = hold,
            LoadDrivenLoad = loadDriven,
            WaitTarget = waitTarget,
            ErlangSlots = slots,
            ErlangSlotsForAllLoad = Erlang.ServersForWait(load, waitTarget),
            Slots = held + slots,
            SynDropProbability = synDrops,
        };
    }
}
