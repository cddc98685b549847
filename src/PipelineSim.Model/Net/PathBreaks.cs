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
internal sealed class PathBreaks(FlowPath path, TcpKeepAliveOptions clientProbes, TcpKeepAliveOptions? serverProbes, TimeSpan? http2ReadIdle)
{
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
    public BreakKind StateAt(long now, long lastPacket)
    {
        if (Broken != BreakKind.None) return Broken;
        if (path.First.Middlebox is not null) CheckExpiry(path.First, now, lastPacket);
        if (path.Second?.Middlebox is not null && Broken == BreakKind.None) CheckExpiry(path.Second, now, lastPacket);
        return Broken;
    }

    /// <summary>
    /// The earliest moment a middlebox forgets the flow if it stays idle from <paramref name="lastPacket"/>, and how it
    /// then breaks; <see cref="BreakKind.None"/> when every middlebox on the path is kept open.
    /// </summary>
    public (long At, BreakKind Mode) IdleExpiry(long lastPacket)
    {
        long expiry = long.MaxValue;
        var mode = BreakKind.None;
        Consider(path.First, lastPacket, ref expiry, ref mode);
        if (path.Second is not null) Consider(path.Second, lastPacket, ref expiry, ref mode);
        return (expiry, mode);
    }

    private void Consider(Link link, long lastPacket, ref long expiry, ref BreakKind mode)
    {
        if (link.Middlebox is null || KeptOpen(link)) return;
        long at = lastPacket + link.MiddleboxIdle;
        if (at < expiry)
        {
            expiry = at;
            mode = ModeOf(link);
        }
    }

    private void CheckExpiry(Link link, long now, long lastPacket)
    {
        if (!MiddleboxKeepAlive.Forgot(new Instant(lastPacket), new Instant(now), TimeSpan.FromTicks(link.MiddleboxIdle))
            || KeptOpen(link)) return;
        Broken = ModeOf(link);
    }

    /// <summary>Either end's probes, or HTTP/2's pings, keep this link's middlebox open.</summary>
    private bool KeptOpen(Link link)
    {
        var idle = TimeSpan.FromTicks(link.MiddleboxIdle);
        if (MiddleboxKeepAlive.ProbesKeepOpen(clientProbes, idle)) return true;
        if (serverProbes is not null && MiddleboxKeepAlive.ProbesKeepOpen(serverProbes, idle)) return true;
        return http2ReadIdle is TimeSpan readIdle && MiddleboxKeepAlive.PingsKeepOpen(readIdle, idle);
    }

    private static BreakKind ModeOf(Link link) => link.Middlebox!.Mode == MiddleboxMode.Rst ? BreakKind.Rst : BreakKind.Silent;
}
