using PipelineSim.Analysis.Records;
using PipelineSim.Analysis.Summary;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Tests.Summary;

public class RunSummaryBuilderTests
{
    private static RunSummary Summarize(SyntheticRun run, IEnumerable<ReceiverStats>? receivers = null, long? created = null)
    {
        var builder = new RunSummaryBuilder();
        run.Replay(builder);
        return builder.Build(receivers, created);
    }

    [Fact]
    public void Counts_pushes_by_result_and_failures_by_code()
    {
        var w1 = Summarize(SyntheticRun.Standard()).Endpoints[0];
        Assert.Equal((SyntheticRun.W1, SyntheticRun.R), (w1.Writer, w1.Endpoint));
        Assert.Equal(102, w1.Pushes);
        Assert.Equal(90, w1.Delivered);
        Assert.Equal(10, w1.Failed);
        Assert.Equal(2, w1.InFlight);
        Assert.Equal(new Dictionary<string, long> { ["deadline_exceeded"] = 10 }, w1.FailedByCode);
    }

    [Fact]
    public void Attempts_histogram_covers_every_count_from_one_to_the_largest_over_finished_pushes()
    {
        var w1 = Summarize(SyntheticRun.Standard()).Endpoints[0];
        // 90 delivered at one attempt and 10 failed at three; the two pushes still in flight are not counted.
        Assert.Equal([new AttemptsBucket(1, 90), new AttemptsBucket(2, 0), new AttemptsBucket(3, 10)], w1.Attempts);
        Assert.Equal(20, w1.Retries); // two retries for each of the ten three-attempt pushes
        Assert.Equal(new Dictionary<string, long> { ["deadline_exceeded"] = 32, ["ok"] = 90 }, w1.AttemptsByCode);
    }

    [Fact]
    public void Latency_quantiles_are_nearest_rank_over_finished_pushes()
    {
        // w1 finished 100 pushes: 0.1 s, 0.2 s, ... 9.0 s delivered and ten failures at 30 s; in-flight ones are left out.
        var latency = Summarize(SyntheticRun.Standard()).Endpoints[0].Latency!;
        Assert.Equal(100, latency.Count);
        Assert.Equal(TimeSpan.FromSeconds(5.0), latency.P50); // rank 50
        Assert.Equal(TimeSpan.FromSeconds(9.0), latency.P90); // rank 90
        Assert.Equal(TimeSpan.FromSeconds(30), latency.P99); // rank 99 is a failure
        Assert.Equal(TimeSpan.FromSeconds(30), latency.Max);
        Assert.Equal(TimeSpan.FromSeconds(7.095), latency.Mean); // (0.1·4095 + 300) / 100
    }

    [Fact]
    public void Endpoints_are_ordered_by_writer_then_endpoint_and_receivers_by_name()
    {
        var stats = new[] { Receiver("r2", 5), Receiver("r1", 16) };
        var summary = Summarize(SyntheticRun.Standard(), stats);
        Assert.Equal([SyntheticRun.W1, SyntheticRun.W2], summary.Endpoints.Select(e => e.Writer));
        Assert.Equal(["r1", "r2"], summary.Receivers.Select(r => r.Receiver));
        Assert.Equal(Instant.FromSeconds(60), summary.End);

        var w2 = summary.Endpoints[1];
        Assert.Equal((5, 4, 1), (w2.Pushes, w2.Delivered, w2.Failed));
        Assert.Equal(TimeSpan.FromSeconds(0.7), w2.Latency!.P50);
        Assert.Equal(TimeSpan.FromSeconds(4), w2.Latency.P90);
    }

    [Fact]
    public void Conservation_counts_first_hop_profiles_delivered_dropped_and_in_flight()
    {
        var line = Summarize(SyntheticRun.Standard()).Conservation;
        // Only w1's pushes came from a source; w2's were forwarded by r.
        Assert.Equal(406, line.Created); // 100 pushes of 4 profiles, 2 in flight of 3
        Assert.Equal(360, line.Delivered);
        Assert.Equal(new Dictionary<string, long> { ["deadline_exceeded"] = 40 }, line.DroppedByCode);
        Assert.Equal(6, line.InFlight);
        Assert.True(line.Holds);
    }

    [Fact]
    public void Conservation_fails_when_the_driver_created_more_than_the_records_account_for()
    {
        var line = Summarize(SyntheticRun.Standard(), created: 410).Conservation;
        Assert.Equal(4, line.Unaccounted);
        Assert.False(line.Holds);
    }

    [Fact]
    public void Per_endpoint_profile_line_includes_forwarded_pushes()
    {
        var w2 = Summarize(SyntheticRun.Standard()).Endpoints[1].Profiles;
        Assert.Equal((20, 16, 0), (w2.Created, w2.Delivered, w2.InFlight));
        Assert.Equal(new Dictionary<string, long> { ["unavailable"] = 4 }, w2.DroppedByCode);
    }

    [Fact]
    public void An_endpoint_with_only_in_flight_pushes_has_no_latency()
    {
        var run = new SyntheticRun();
        run.AddPush("w", "e", 0, 5, PushResult.InFlight, ConnectCode.DeadlineExceeded);
        var endpoint = Assert.Single(Summarize(run).Endpoints);
        Assert.Null(endpoint.Latency);
        Assert.Equal(1, endpoint.InFlight);
    }

    [Fact]
    public void Summarising_the_files_equals_summarising_the_stream()
    {
        using var dir = new TempDirectory();
        var run = SyntheticRun.Standard();
        run.WriteCsv(dir.Path);
        Assert.Equal(
            RunSummaryJson.ToUtf8Bytes(Summarize(run)),
            RunSummaryJson.ToUtf8Bytes(RunSummaryBuilder.FromFiles(dir.Path)));
    }

    private static ReceiverStats Receiver(string name, int limit) => new()
    {
        Receiver = name, ConnLimit = limit, PeakAcceptedConnections = limit, PeakAcceptBacklog = 3, SynDrops = 7,
        TimeAtLimit = TimeSpan.FromSeconds(1.5),
    };
}
