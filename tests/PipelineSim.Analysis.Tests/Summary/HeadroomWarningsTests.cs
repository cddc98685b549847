using PipelineSim.Analysis.Summary;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Tests.Summary;

public class HeadroomWarningsTests
{
    private static RunSummary Run(TimeSpan length, params ReceiverStats[] receivers) => new()
    {
        End = Instant.FromTimeSpan(length),
        Endpoints = [],
        Receivers = receivers,
        Conservation = new ProfileBalance { Created = 0, Delivered = 0, DroppedByCode = new Dictionary<string, long>(), InFlight = 0 },
    };

    private static ReceiverStats Receiver(int connLimit = 100, double secondsAtLimit = 0, int peakBacklog = 0, int backlog = 4096, long synDrops = 0) => new()
    {
        Receiver = "r",
        ConnLimit = connLimit,
        PeakAcceptedConnections = connLimit,
        TimeAtLimit = TimeSpan.FromSeconds(secondsAtLimit),
        AcceptBacklogCapacity = backlog,
        PeakAcceptBacklog = peakBacklog,
        SynDrops = synDrops,
    };

    [Theory]
    [InlineData(0, 0)]
    [InlineData(299.9999, 0)] // just under half of a 600 s run
    [InlineData(300, 1)] // exactly half
    [InlineData(600, 1)]
    public void A_receiver_at_its_limit_for_half_the_run_or_more_has_no_headroom(double secondsAtLimit, int expected)
    {
        var warnings = HeadroomWarnings.Of(Run(TimeSpan.FromMinutes(10), Receiver(secondsAtLimit: secondsAtLimit)));
        Assert.Equal(expected, warnings.Count);
        if (expected == 1) Assert.Contains("sat at its conn_limit of 100", warnings[0]);
    }

    [Fact]
    public void An_unlimited_receiver_is_never_at_its_limit()
    {
        Assert.Empty(HeadroomWarnings.Of(Run(TimeSpan.FromMinutes(10), Receiver(connLimit: 0, secondsAtLimit: 600))));
    }

    [Theory]
    [InlineData(4095, 0, 0)]
    [InlineData(4096, 0, 1)] // full
    [InlineData(10, 3, 1)] // SYN drops count even if the sampled peak missed the full moment
    public void A_full_accept_backlog_is_reported(int peakBacklog, long synDrops, int expected)
    {
        var warnings = HeadroomWarnings.Of(Run(TimeSpan.FromMinutes(10), Receiver(peakBacklog: peakBacklog, synDrops: synDrops)));
        Assert.Equal(expected, warnings.Count);
        if (expected == 1) Assert.Contains("accept backlog filled", warnings[0]);
        if (synDrops > 0) Assert.Contains("3 SYNs were dropped", warnings[0]);
    }
}
