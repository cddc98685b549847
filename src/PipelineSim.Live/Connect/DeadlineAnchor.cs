using System.Globalization;
using PipelineSim.Core.Server;
using PipelineSim.Core.Time;
using PipelineSim.Live.Hosting;
using PipelineSim.Live.Time;

namespace PipelineSim.Live.Connect;

/// <summary>
/// Where a live server counts <c>Connect-Timeout-Ms</c> from: where a Go server does, the request's read, which is its
/// arrival, or its connection's accept when the request waited in the accept backlog (Core's <see cref="RequestRead"/>).
/// <para>
/// The arrival is not taken from the socket. On loopback a request's transit is a few real microseconds to
/// milliseconds of scheduling, which a time scale of 1/10 blows up into tens of scenario milliseconds: enough to let
/// the upstream's own deadline pass before the one it handed down, turning the downstream's <c>deadline_exceeded</c>
/// into a <c>canceled</c> the scenario never had. So a live writer also says when (on the run's clock) the request
/// reaches the server in scenario time: when it encoded the header, plus the one-way latency of the link's fault proxy
/// when there is one. A live server on the same clock takes that as the arrival (never later than the actual one), so
/// the receiver's deadline lands where the simulator's does, a link's latency after the writer's, and the race between
/// the two is decided by the same instants. Requests from anywhere else (a real Alloy) arrive when they are read.
/// </para>
/// <para>
/// The accept is the transport's stamp (<see cref="ConnectionAccept"/>), and counts only for a request that waited for
/// it in the backlog while <c>conn_limit</c> held the server back. Any other request came to a server that was accepting,
/// as the simulator's always is below its limit, and is read on arrival: the stamp carries the real dial and scheduling
/// delays the stated arrival leaves out, and would bring back the drift the header removes.
/// </para>
/// </summary>
internal static class DeadlineAnchor
{
    public const string HeaderName = "X-PipelineSim-Sent-At";

    /// <summary><c>clock-id@ticks</c>: the instant is meaningful only to components reading the same clock.</summary>
    public static string Format(LiveClock clock, Instant encodedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{clock.Id}@{encodedAt.Ticks}");

    /// <summary>
    /// The instant to count the timeout from, for a request whose headers were read at <paramref name="arrival"/> on
    /// a connection <paramref name="accepted"/> (null: not stamped, as if accepted before the request came).
    /// </summary>
    public static Instant Resolve(string? header, LiveClock clock, Instant arrival, ConnectionAccept? accepted = null)
    {
        var arrived = StatedArrival(header, clock, arrival);
        return accepted is { RequestWaited: true } ? RequestRead.At(arrived, accepted.At) : arrived;
    }

    /// <summary>The writer's arrival instant, when it shares our clock and is not in the future, else the actual arrival.</summary>
    private static Instant StatedArrival(string? header, LiveClock clock, Instant arrival)
    {
        if (string.IsNullOrEmpty(header)) return arrival;
        int at = header.IndexOf('@');
        if (at < 0 || !header.AsSpan(0, at).SequenceEqual(clock.Id)) return arrival;
        if (!long.TryParse(header.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long ticks)) return arrival;
        var sent = new Instant(ticks);
        return sent <= arrival ? sent : arrival;
    }
}
