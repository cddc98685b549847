using System.Diagnostics.CodeAnalysis;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Backend;

/// <summary>What a backend does with a request that has arrived (its body read).</summary>
public enum BackendStep
{
    /// <summary>It holds a serving slot now: the driver draws the service time and later calls <see cref="BackendAdmission{T}.Finish"/>.</summary>
    Serve,

    /// <summary>It waits in the queue; a <see cref="BackendAdmission{T}.Finish"/> hands it a slot in arrival order.</summary>
    Queue,

    /// <summary>Answered at once with <see cref="BackendVerdict.Code"/> (outage, rate limit, full queue).</summary>
    Reject,

    /// <summary>Never answered (a hanging outage): it ends only when the client gives up.</summary>
    Hang,
}

public readonly record struct BackendVerdict(BackendStep Step, ConnectCode Code = ConnectCode.Ok)
{
    public static BackendVerdict Serve => new(BackendStep.Serve);

    public static BackendVerdict Queue => new(BackendStep.Queue);

    public static BackendVerdict Hang => new(BackendStep.Hang);

    public static BackendVerdict Reject(ConnectCode code) => new(BackendStep.Reject, code);
}

/// <summary>
/// A Pyroscope stand-in's admission and answers, sans I/O: the one place the simulator and the live backend stub ask
/// what happens to a request. The order is a real server's: an outage window answers (or hangs) first; then the
/// token bucket answers <c>resource_exhausted</c>; then a free serving slot, else a place in the bounded FIFO queue,
/// else <see cref="BackendRules.QueueFullCode"/>. A served request ends with one error draw
/// (<see cref="DrawAnswer"/>). The driver supplies <c>now</c> (time since the backend started), the request's
/// cost, and its uniform draws; it reports the request giving up while queued (<see cref="Withdraw"/>), finishing
/// service (<see cref="Finish"/>) and the process restarting (<see cref="Reset"/>).
/// <para>
/// A request that gives up while queued leaves the queue at once: it no longer holds a <c>queue_capacity</c> place
/// nor counts in <see cref="Queued"/> (the <c>pipelinesim_backend_requests{state="queued"}</c> gauge).
/// </para>
/// </summary>
/// <typeparam name="T">Whatever identifies a request to the driver (compared by <see cref="EqualityComparer{T}.Default"/>).</typeparam>
public sealed class BackendAdmission<T>
    where T : notnull
{
    private readonly LinkedList<T> queue = new();
    private readonly Dictionary<T, LinkedListNode<T>> places = [];
    private readonly TokenBucket? bucket;

    public BackendAdmission(BackendRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentOutOfRangeException.ThrowIfNegative(rules.Concurrency);
        ArgumentOutOfRangeException.ThrowIfNegative(rules.QueueCapacity);
        Rules = rules;
        if (rules.RateLimit is { } limit) bucket = new TokenBucket(limit.Rate, limit.Burst);
    }

    public BackendRules Rules { get; }

    /// <summary>Requests holding a serving slot.</summary>
    public int Serving { get; private set; }

    /// <summary>Requests waiting for a slot (those that gave up are not counted).</summary>
    public int Queued => queue.Count;

    /// <summary>The outage window covering <paramref name="now"/>, if any (the earliest-starting one).</summary>
    public OutageWindow? OutageAt(Instant now)
    {
        var outages = Rules.Outages;
        for (int i = 0; i < outages.Count; i++) // indexed: no enumerator allocation per request in the simulator
        {
            if (outages[i].Contains(now)) return outages[i];
        }
        return null;
    }

    /// <summary>A request arrives at <paramref name="now"/>; <paramref name="profileBytes"/> is its cost for a per-byte rate limit.</summary>
    public BackendVerdict Arrive(Instant now, T request, long profileBytes)
    {
        if (OutageAt(now) is { Kind: not OutageKind.Refuse } outage)
            return outage.Kind == OutageKind.Hang ? BackendVerdict.Hang : BackendVerdict.Reject(ConnectCode.Unavailable);
        if (bucket is not null && !bucket.TryTake(now, Rules.RateLimit!.Value.PerByte ? profileBytes : 1))
            return BackendVerdict.Reject(ConnectCode.ResourceExhausted);
        if (Rules.Concurrency == 0 || Serving < Rules.Concurrency)
        {
            // A free slot implies an empty queue: Finish hands slots to the queue before freeing them.
            Serving++;
            return BackendVerdict.Serve;
        }
        if (queue.Count >= Rules.QueueCapacity) return BackendVerdict.Reject(Rules.QueueFullCode);
        places.Add(request, queue.AddLast(request));
        return BackendVerdict.Queue;
    }

    /// <summary>
    /// A queued request gave up (its client left or its deadline passed): it leaves the queue and frees its place.
    /// False when it is not queued, because it never was or <see cref="Finish"/> already handed it a slot; the caller
    /// then holds that slot and must <see cref="Finish"/> it.
    /// </summary>
    public bool Withdraw(T request)
    {
        if (!places.Remove(request, out var place)) return false;
        queue.Remove(place);
        return true;
    }

    /// <summary>
    /// A served request is done. The slot goes to the oldest queued request, returned in <paramref name="next"/>
    /// (<see cref="Serving"/> stays the same); with none waiting the slot becomes free.
    /// </summary>
    public bool Finish([MaybeNullWhen(false)] out T next)
    {
        if (Serving == 0) throw new InvalidOperationException("No request is being served.");
        if (queue.First is { } first)
        {
            next = first.Value;
            queue.RemoveFirst();
            places.Remove(next);
            return true;
        }
        next = default;
        Serving--;
        return false;
    }

    /// <summary>
    /// The answer to a served request: one uniform draw in [0, 1) against the error shares in order (the first whose
    /// running sum exceeds it), else ok. <paramref name="uniform"/> is called only when there are error shares, so a
    /// backend without them consumes no randomness.
    /// </summary>
    public ConnectCode DrawAnswer(Func<double> uniform)
    {
        var errors = Rules.Errors;
        if (errors.Count == 0) return ConnectCode.Ok;
        double u = uniform(), cumulative = 0;
        for (int i = 0; i < errors.Count; i++)
        {
            cumulative += errors[i].Probability;
            if (u < cumulative) return errors[i].Code;
        }
        return ConnectCode.Ok;
    }

    /// <summary>The process restarted: nothing is served or queued any more (the driver has ended those requests).</summary>
    public void Reset()
    {
        queue.Clear();
        places.Clear();
        Serving = 0;
    }
}
