using PipelineSim.Core.Options;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Connections;

/// <summary>
/// Keep-alive probes against a middlebox's idle timeout (a NAT gateway, a firewall, a load balancer's flow table):
/// whether the probes keep its entry for a connection alive, when it forgets an unrefreshed one, and when the client's
/// kernel finds out that it did. The simulator's flows and the live harness's proxy set-up both ask here.
/// <para>
/// Linux sends the first probe <c>tcp_keepalive_time</c> (Go's KeepAlive, 15 s) after the last packet, then every
/// <c>tcp_keepalive_intvl</c>; <c>tcp_keepalive_probes</c> unanswered probes kill the connection (Go ≥ 1.23 sets all
/// three through net.KeepAliveConfig; older Go set time and interval). An answered probe is a packet through the
/// middlebox and refreshes its entry. A reset (RST mode) answers the first probe after the entry is gone.
/// </para>
/// </summary>
public static class MiddleboxKeepAlive
{
    /// <summary>
    /// True when <paramref name="probes"/> refresh a middlebox that forgets a flow after <paramref name="idleTimeout"/>:
    /// the first probe must pass before the entry expires. At exactly the idle timeout the entry is already gone
    /// (<see cref="Forgot"/>), so equal does not refresh.
    /// </summary>
    public static bool ProbesKeepOpen(TcpKeepAliveOptions probes, TimeSpan idleTimeout) => probes.Enabled && probes.Idle < idleTimeout;

    /// <summary>HTTP/2's health-check ping (x/net/http2 ReadIdleTimeout) is a packet too: it refreshes the entry under the same rule.</summary>
    public static bool PingsKeepOpen(TimeSpan readIdleTimeout, TimeSpan idleTimeout) => readIdleTimeout < idleTimeout;

    /// <summary>Whether the middlebox has forgotten a flow whose last packet passed at <paramref name="lastPacket"/>: at lastPacket + idle timeout, not after.</summary>
    public static bool Forgot(Instant lastPacket, Instant now, TimeSpan idleTimeout) => now - lastPacket >= idleTimeout;

    /// <summary>
    /// When the client's kernel declares an idle connection dead whose path broke at <paramref name="brokenAt"/>
    /// (its last packet at <paramref name="lastPacket"/>): the first probe at or after the break, then, for a silent
    /// drop, <c>Count</c> unanswered probes <c>Interval</c> apart; for a reset, the reset's round trip. Null: no probes,
    /// the connection is never found dead while idle.
    /// </summary>
    public static Instant? DeadAt(TcpKeepAliveOptions probes, Instant lastPacket, Instant brokenAt, bool reset, TimeSpan roundTrip)
    {
        if (!probes.Enabled) return null;
        var probe = FirstProbeAtOrAfter(lastPacket, probes.Idle, brokenAt);
        return reset ? probe + roundTrip : probe + probes.Interval * probes.Count;
    }

    /// <summary>Answered probes repeat every <paramref name="period"/> after the last packet; the first one at or after <paramref name="brokenAt"/>.</summary>
    public static Instant FirstProbeAtOrAfter(Instant lastPacket, TimeSpan period, Instant brokenAt)
    {
        var first = lastPacket + period;
        if (first >= brokenAt) return first;
        long periods = ((brokenAt - lastPacket).Ticks + period.Ticks - 1) / period.Ticks;
        return lastPacket + TimeSpan.FromTicks(periods * period.Ticks);
    }
}
