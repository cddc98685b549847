using PipelineSim.Core.Connections;
using PipelineSim.Core.Options;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Tests.Connections;

public class MiddleboxKeepAliveTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);
    private static readonly TcpKeepAliveOptions Go = TcpKeepAliveOptions.GoDefault; // 15 s idle, 15 s interval, 9 probes

    [Theory]
    [InlineData(15.0000001, true)] // one tick more than the probe idle: the probe passes first
    [InlineData(15, false)] // exactly the probe idle: the entry is gone when the probe comes
    [InlineData(14.9999999, false)]
    [InlineData(350, true)] // AWS NAT gateway's 350 s
    public void Probes_keep_a_middlebox_open_only_when_the_first_comes_before_it_forgets(double idleSeconds, bool kept) =>
        Assert.Equal(kept, MiddleboxKeepAlive.ProbesKeepOpen(Go, TimeSpan.FromTicks((long)Math.Round(idleSeconds * TimeSpan.TicksPerSecond))));

    [Fact]
    public void Disabled_probes_never_keep_it_open() =>
        Assert.False(MiddleboxKeepAlive.ProbesKeepOpen(Go with { Enabled = false }, TimeSpan.FromHours(1)));

    [Fact]
    public void Http2_pings_refresh_under_the_same_strict_rule()
    {
        Assert.True(MiddleboxKeepAlive.PingsKeepOpen(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30) + Tick));
        Assert.False(MiddleboxKeepAlive.PingsKeepOpen(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void A_middlebox_forgets_a_flow_exactly_at_its_idle_timeout()
    {
        var last = Instant.FromSeconds(10);
        var idle = TimeSpan.FromSeconds(240);
        Assert.False(MiddleboxKeepAlive.Forgot(last, last + idle - Tick, idle));
        Assert.True(MiddleboxKeepAlive.Forgot(last, last + idle, idle));
        Assert.True(MiddleboxKeepAlive.Forgot(last, last + idle + Tick, idle));
    }

    [Theory]
    // last packet at 0, probes at 15, 30, 45 ... s
    [InlineData(0, 15)]
    [InlineData(15, 15)]
    [InlineData(15.0000001, 30)]
    [InlineData(29.9999999, 30)]
    [InlineData(100, 105)]
    public void The_first_probe_at_or_after_the_break(double brokenAt, double probe) =>
        Assert.Equal(Instant.FromSeconds(probe), MiddleboxKeepAlive.FirstProbeAtOrAfter(Instant.Zero, Go.Idle, Instant.FromSeconds(brokenAt)));

    [Fact]
    public void A_silent_drop_is_found_after_count_unanswered_probes_a_reset_after_one_round_trip()
    {
        var rtt = TimeSpan.FromMilliseconds(20);
        // Broken at 100 s: the probe at 105 s goes unanswered, then 9 probes 15 s apart: dead at 240 s.
        Assert.Equal(Instant.FromSeconds(240), MiddleboxKeepAlive.DeadAt(Go, Instant.Zero, Instant.FromSeconds(100), reset: false, rtt));
        Assert.Equal(Instant.FromSeconds(105.02), MiddleboxKeepAlive.DeadAt(Go, Instant.Zero, Instant.FromSeconds(100), reset: true, rtt));
        Assert.Null(MiddleboxKeepAlive.DeadAt(Go with { Enabled = false }, Instant.Zero, Instant.FromSeconds(100), reset: false, rtt));
    }
}
