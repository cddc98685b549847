using PipelineSim.Core.Time;

namespace PipelineSim.Core.Server;

/// <summary>
/// Whether a Go server forwards a request whose client had already hung up before the connection was accepted (it
/// waited in the accept backlog, its client's deadline passed, the client closed, and the request bytes and the FIN
/// both sit in the socket buffer when a slot frees).
/// <para>
/// Go reads that request as if nothing had happened: <c>(*conn).readRequest</c> parses the buffered bytes, and only
/// once the handler has read the body does <c>(*connReader).startBackgroundRead</c> start a goroutine whose
/// <c>Read</c> returns the FIN at once; <c>handleReadError</c> then cancels the request context
/// (golang/go src/net/http/server.go). The handler runs meanwhile, on its own goroutine: receive_http's Push hands
/// the request context to every forward_to writer (grafana/alloy internal/component/pyroscope/receive_http), and a
/// <c>pyroscope.write</c> push whose context is not yet canceled when its transport writes the request reaches the
/// next hop. So the handler and the background read race, and the handler sometimes wins: the forward is a duplicate
/// of what the client, which gave up, sends again.
/// </para>
/// <para>
/// The rule: the background read notices the FIN after a delay that is memoryless (a goroutine wake-up), so the
/// chance that it has not yet done so when the handler forwards, <paramref name="UntilForward"/> after the handler
/// started, is <c>EscapeProbability · exp(−untilForward / NoticeDelayMean)</c>. <see cref="EscapeProbability"/> is the
/// chance with no work before the forward (a bare Alloy receive_http handler); a handler that first spends
/// milliseconds decoding has practically always been canceled by then.
/// </para>
/// </summary>
/// <param name="EscapeProbability">The chance that a request read after its client hung up is forwarded when the
/// handler forwards at once, in [0, 1].</param>
/// <param name="NoticeDelayMean">The mean delay until the background read delivers the FIN, which discounts handler
/// work done before the forward. Must be positive.</param>
public sealed record HungUpClientRace(double EscapeProbability, TimeSpan NoticeDelayMean)
{
    /// <summary>
    /// Go 1.19 net/http, measured with stand-ins (a LimitListener server whose handler forwards at once through an
    /// http.Client, clients that give up while queued in the accept backlog): 8 of 40 and 2 of 12 such requests were
    /// forwarded when they were accepted a few at a time, 343 of 4,097 when a full backlog was accepted in one burst.
    /// The model takes 343/4,097 ≈ 0.084 (95 % Wilson interval 0.076–0.093): a backlog is drained only on a loaded
    /// server, which is the burst's regime; the few-at-a-time runs (10 of 52, interval 0.11–0.32) are about twice as
    /// high, so duplicates counted on a lightly loaded server are a lower bound. The notice delay is not measured:
    /// 100 µs is the order of a goroutine wake-up on a busy host, and only matters when the scenario gives the
    /// receiver a handler_time (a decode of a millisecond or more leaves a chance below e^-10 of the base). A stand-in
    /// re-run on a heavily loaded host (docs/explanation/go-and-alloy-behaviour.md) saw both figures move with load: more
    /// concurrent handlers forwarded more, and a starved background read took milliseconds.
    /// </summary>
    public static HungUpClientRace Go { get; } = new(343.0 / 4097.0, TimeSpan.FromMicroseconds(100));

    public double EscapeProbability { get; } = EscapeProbability is >= 0 and <= 1
        ? EscapeProbability
        : throw new ArgumentOutOfRangeException(nameof(EscapeProbability), EscapeProbability, "must be in [0, 1]");

    public TimeSpan NoticeDelayMean { get; } = NoticeDelayMean > TimeSpan.Zero
        ? NoticeDelayMean
        : throw new ArgumentOutOfRangeException(nameof(NoticeDelayMean), NoticeDelayMean, "must be positive");

    /// <summary>The chance that a handler started at <paramref name="handlerStarted"/> forwards at <paramref name="forwardAt"/> before the FIN is noticed.</summary>
    public double ForwardChance(Instant handlerStarted, Instant forwardAt)
    {
        var untilForward = forwardAt - handlerStarted;
        if (untilForward < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(forwardAt), forwardAt, "the forward cannot precede the handler's start");
        return EscapeProbability * Math.Exp(-untilForward.Ticks / (double)NoticeDelayMean.Ticks);
    }

    /// <summary>
    /// Decides one request: true when the handler forwards before its context is canceled (a duplicate), false when the
    /// background read cancels it first. <paramref name="uniform"/> is a draw in [0, 1) from the driver's seeded stream.
    /// </summary>
    public bool Forwards(Instant handlerStarted, Instant forwardAt, double uniform)
    {
        if (uniform is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(uniform), uniform, "must be in [0, 1)");
        return uniform < ForwardChance(handlerStarted, forwardAt);
    }
}
