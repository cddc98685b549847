using PipelineSim.Core.Connections;
using PipelineSim.Core.Options;
using PipelineSim.Core.Time;
using PipelineSim.Spec;

namespace PipelineSim.Model.Net;

/// <summary>
/// Whether a flow's path still carries its packets: a fault's break, or a middlebox on one of its links that forgot
/// the flow after its idle timeout because no packet (nor keep-alive probe, nor HTTP/2 ping) refreshed it. Expiry is
/// evaluated lazily from the flow's last packet; Core's <see cref="MiddleboxKeepAlive"/> decides refreshes and expiry.
/// </summary>
/// <remarks>
/// A value inside its <see cref="Flow"/> (read at every packet), which passes it the path. Whether a link's middlebox
/// can forget the flow at all depends only on the flow's probes and the link, so it is decided once, when the flow is made.
/// </remarks>
internal struct PathBreaks
{
    private readonly bool firstForgets, secondForgets;

    public PathBreaks(in FlowPath path, TcpKeepAliveOptions clientProbes, TcpKeepAliveOptions? serverProbes, TimeSpan? http2ReadIdle)
    {
        firstForgets = Forgets(path.First, clientProbes, serverProbes, http2ReadIdle);
        secondForgets = path.Second is not null && Forgets(path.Second, clientProbes, serverProbes, http2ReadIdle);
    }

    /// <summary>How the path broke (none yet).</summary>
    public BreakKind Broken { get; private set; }

    /// <summary>A fault breaks the path now. False if it was already broken.</summary>
    public bool Break(BreakKind kind)
    {
        if (Broken != BreakKind.None) return false;
        Broken = kind;
        return true;
    }

    /// <summary>Whether packets sent at <paramref name="now"/> get through, given the flow's last packet.</summary>
    public BreakKind StateAt(in FlowPath path, long now, long lastPacket)
    {
        if (Broken != BreakKind.None) return Broken;
        if (firstForgets) CheckExpiry(path.First, now, lastPacket);
        if (secondForgets && Broken == BreakKind.None) CheckExpiry(path.Second!, now, lastPacket);
        return Broken;
    }

    /// <summary>
    /// The earliest moment a middlebox forgets the flow if it stays idle from <paramref name="lastPacket"/>, and how it
    /// then breaks; <see cref="BreakKind.None"/> when every middlebox on the path is kept open.
    /// </summary>
    public readonly (long At, BreakKind Mode) IdleExpiry(in FlowPath path, long lastPacket)
    {
        long expiry = long.MaxValue;
        var mode = BreakKind.None;
        if (firstForgets) Consider(path.First, lastPacket, ref expiry, ref mode);
        if (secondForgets) Consider(path.Second!, lastPacket, ref expiry, ref mode);
        return (expiry, mode);
    }

    private static void Consider(Link link, long lastPacket, ref long expiry, ref BreakKind mode)
    {
        long at = lastPacket + link.MiddleboxIdle;
        if (at < expiry)
        {
            expiry = at;
            mode = ModeOf(link);
        }
    }

    private void CheckExpiry(Link link, long now, long lastPacket)
    {
        if (MiddleboxKeepAlive.Forgot(new Instant(lastPacket), new Instant(now), TimeSpan.FromTicks(link.MiddleboxIdle))) Broken = ModeOf(link);
    }

    /// <summary>Whether the link's middlebox forgets the flow when idle: it has one, and neither end's probes nor HTTP/2's pings keep it open.</summary>
    private static bool Forgets(Link link, TcpKeepAliveOptions clientProbes, TcpKeepAliveOptions? serverProbes, TimeSpan? http2ReadIdle)
    {
        if (link.Middlebox is null) return false;
        var idle = TimeSpan.FromTicks(link.MiddleboxIdle);
        if (MiddleboxKeepAlive.ProbesKeepOpen(clientProbes, idle)) return false;
        if (serverProbes is not null && MiddleboxKeepAlive.ProbesKeepOpen(serverProbes, idle)) return false;
        return !(http2ReadIdle is TimeSpan readIdle && MiddleboxKeepAlive.PingsKeepOpen(readIdle, idle));
    }

    private static BreakKind ModeOf(Link link) => link.Middlebox!.Mode == MiddleboxMode.Rst ? BreakKind.Rst : BreakKind.Silent;
}
