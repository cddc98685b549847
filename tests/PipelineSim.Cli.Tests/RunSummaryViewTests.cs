using PipelineSim.Analysis.Summary;
using PipelineSim.Cli.Rendering;
using PipelineSim.Core.Records;

namespace PipelineSim.Cli.Tests;

public class RunSummaryViewTests
{
    private static RunSummary Summary(long? created = null, int connLimit = 8)
    {
        var builder = new RunSummaryBuilder();
        foreach (var push in RunRecords.Pushes()) builder.OnPush(push);
        return builder.Build(
            [new ReceiverStats
            {
                Receiver = "r", ConnLimit = connLimit, PeakAcceptedConnections = 8, PeakAcceptBacklog = 3, SynDrops = 12,
                AcceptBacklogCapacity = 4, TimeAtLimit = TimeSpan.FromSeconds(2.5), RequestsHandled = 40, RequestsFailed = 2,
            }],
            created);
    }

    private static string[] Render(RunSummary summary)
    {
        var console = new TestConsole(width: 80);
        RunSummaryView.Render(console.Console, summary);
        return console.Output.TrimEnd().Split(Environment.NewLine);
    }

    [Fact]
    public void Prints_endpoints_receivers_and_conservation_within_eighty_columns()
    {
        var lines = Render(Summary());
        Assert.All(lines, l => Assert.True(l.Length <= 80, l));
        Assert.Equal(
            [
                "w1 → http://r:4040",
                "  pushes 4: delivered 3, failed 1, in flight 0",
                "  failed by code: deadline_exceeded 1",
                "  attempts: 1×3  2×1   retries 1",
                "  latency: p50 0.750 s  p90 20.000 s  p99 20.000 s  max 20.000 s",
                "receiver r",
                "  accepted connections: peak 8 of limit 8, at the limit for 2.500 s",
                "  accept backlog: peak 3 of 4, SYN drops 12",
                "  requests: 40 handled, 2 failed (500)",
                "conservation: 16 profiles created",
                "  = 12 delivered + 4 dropped + 0 in flight: ok",
                "  dropped by code: deadline_exceeded 4",
                "warning: receiver r's accept backlog filled (peak 3 of 4), 12 SYNs were dropped",
                "  and their clients waited for retransmits: new connections queue behind the",
                "  conn_limit",
            ],
            lines);
    }

    [Fact]
    public void Says_when_profiles_are_unaccounted_for_and_when_a_receiver_has_no_limit()
    {
        var lines = Render(Summary(created: 20, connLimit: 0));
        Assert.Contains("  accepted connections: peak 8, no limit", lines);
        Assert.Contains("  = 12 delivered + 4 dropped + 0 in flight: 4 unaccounted", lines);
    }
}
