using System.Globalization;
using PipelineSim.Core.Time;
using PipelineSim.Live.Time;

namespace PipelineSim.Live.Connect;

/// <summary>
/// Where a live server counts <c>Connect-Timeout-Ms</c> from. A Go server counts it from when it read the request,
/// so the transit eats into the budget; on loopback that transit is a few real microseconds to milliseconds of
/// scheduling, which a time scale of 1/10 blows up into tens of scenario milliseconds: enough to let the upstream's
/// own deadline pass before the one it handed down, turning the downstream's <c>deadline_exceeded</c> into a
/// <c>canceled</c> the scenario never had. So a live writer also says when (on the run's clock) the request reaches
/// the server in scenario time: when it encoded the header, plus the one-way latency of the link's fault proxy when
/// there is one. A live server on the same clock counts from there (never later than the actual arrival), so the
/// receiver's deadline lands where the simulator's does, a link's latency after the writer's, and the race between
/// the two is decided by the same instants. Requests from anywhere else (a real Alloy) count from arrival, as Go does.
/// </summary>
internal static class DeadlineAnchor
{
    public const string HeaderName = "X-PipelineSim-Sent-At";

    /// <summary><c>clock-id@ticks</c>: the instant is meaningful only to components reading the same clock.</summary>
    public static string Format(LiveClock clock, Instant encodedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{clock.Id}@{encodedAt.Ticks}");

    /// <summary>The instant to count the timeout from: the writer's, when it shares our clock and is not in the future, else arrival.</summary>
    public static Instant Resolve(string? header, LiveClock clock, Instant arrival)
    {
        if (string.IsNullOrEmpty(header)) return arrival;
        int at = header.IndexOf('@');
        if (at < 0 || !header.AsSpan(0, at).SequenceEqual(clock.Id)) return arrival;
        if (!long.TryParse(header.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long ticks)) return arrival;
        var sent = new Instant(ticks);
        return sent <= arrival ? sent : arrival;
    }
}
