using PipelineSim.Analysis.Records;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Tests.Records;

public class OpenMetricsRecordSinkTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero); // 1767225600

    [Fact]
    public void A_counter_is_typed_by_its_family_name_and_sampled_with_total_and_timestamps_from_the_start()
    {
        var lines = Export(sink =>
        {
            sink.OnSample(new MetricSample(Instant.FromSeconds(0), MetricNames.WriteRetries, "component_id=\"w1\",endpoint=\"http://r:4040\"", 0));
            sink.OnSample(new MetricSample(Instant.FromSeconds(1.5), MetricNames.WriteRetries, "component_id=\"w1\",endpoint=\"http://r:4040\"", 3));
        });
        Assert.Equal(
        [
            "# TYPE pyroscope_write_retries counter",
            "# HELP pyroscope_write_retries Total number of retries to Pyroscope.",
            "pyroscope_write_retries_total{component_id=\"w1\",endpoint=\"http://r:4040\"} 0 1767225600.000000",
            "pyroscope_write_retries_total{component_id=\"w1\",endpoint=\"http://r:4040\"} 3 1767225601.500000",
            "# EOF",
        ], lines);
    }

    [Fact]
    public void A_histogram_point_is_its_buckets_in_ascending_le_then_count_then_sum_with_canonical_le_values()
    {
        // The sampler's order: buckets, _sum, _count; le as Go's %g ("1", "10").
        string labels(string le) => $"component_id=\"w2\",endpoint=\"-\",le=\"{le}\",type=\"push_total\"";
        const string own = "component_id=\"w2\",endpoint=\"-\",type=\"push_total\"";
        var lines = Export(sink =>
        {
            foreach (double t in new[] { 0.0, 5.0 })
            {
                var at = Instant.FromSeconds(t);
                sink.OnSample(new MetricSample(at, MetricNames.WriteLatency + "_bucket", labels("0.5"), t));
                sink.OnSample(new MetricSample(at, MetricNames.WriteLatency + "_bucket", labels("1"), t + 1));
                sink.OnSample(new MetricSample(at, MetricNames.WriteLatency + "_bucket", labels("+Inf"), t + 2));
                sink.OnSample(new MetricSample(at, MetricNames.WriteLatency + "_sum", own, 0.75 * (t + 2)));
                sink.OnSample(new MetricSample(at, MetricNames.WriteLatency + "_count", own, t + 2));
            }
        });
        Assert.Equal("# TYPE pyroscope_write_latency histogram", lines[0]);
        Assert.Equal(
        [
            "pyroscope_write_latency_bucket{component_id=\"w2\",endpoint=\"-\",le=\"0.5\",type=\"push_total\"} 0 1767225600.000000",
            "pyroscope_write_latency_bucket{component_id=\"w2\",endpoint=\"-\",le=\"1.0\",type=\"push_total\"} 1 1767225600.000000",
            "pyroscope_write_latency_bucket{component_id=\"w2\",endpoint=\"-\",le=\"+Inf\",type=\"push_total\"} 2 1767225600.000000",
            "pyroscope_write_latency_count{component_id=\"w2\",endpoint=\"-\",type=\"push_total\"} 2 1767225600.000000",
            "pyroscope_write_latency_sum{component_id=\"w2\",endpoint=\"-\",type=\"push_total\"} 1.5 1767225600.000000",
            "pyroscope_write_latency_bucket{component_id=\"w2\",endpoint=\"-\",le=\"0.5\",type=\"push_total\"} 5 1767225605.000000",
        ], lines[2..8]);
        Assert.Equal("# EOF", lines[^1]);
    }

    [Fact]
    public void Families_are_never_interleaved_and_keep_the_order_they_first_appeared_in()
    {
        var lines = Export(sink =>
        {
            for (int t = 0; t < 3; t++)
            {
                sink.OnSample(new MetricSample(Instant.FromSeconds(t), MetricNames.ReceiveTcpConnections, "component_id=\"r\",protocol=\"http\"", t));
                sink.OnSample(new MetricSample(Instant.FromSeconds(t), MetricNames.SynDrops, "component_id=\"r\"", 0));
                sink.OnSample(new MetricSample(Instant.FromSeconds(t), MetricNames.ReceiveTcpConnections, "component_id=\"r2\",protocol=\"http\"", 2 * t));
            }
        });
        var names = lines.Where(l => !l.StartsWith('#')).Select(l => l[..l.IndexOf('{')]).ToList();
        Assert.Equal([.. Enumerable.Repeat(MetricNames.ReceiveTcpConnections, 6), .. Enumerable.Repeat(MetricNames.SynDrops, 3)], names);
        Assert.Equal(["# TYPE pyroscope_receive_http_tcp_connections gauge", "# TYPE pipelinesim_syn_drops counter"],
            lines.Where(l => l.StartsWith("# TYPE")));
    }

    [Fact]
    public void Label_values_are_escaped_as_OpenMetrics_wants_and_unknown_names_are_typed_unknown()
    {
        // The label text holds Prometheus escapes for backslash and quote, and a raw newline.
        var lines = Export(sink =>
            sink.OnSample(new MetricSample(Instant.FromSeconds(0), "custom_thing", "component_id=\"a\\\\b\\\"c\nd\"", double.NaN)));
        Assert.Equal(["# TYPE custom_thing unknown", "custom_thing{component_id=\"a\\\\b\\\"c\\nd\"} NaN 1767225600.000000", "# EOF"], lines);
    }

    [Fact]
    public void A_point_that_comes_late_or_twice_is_written_in_time_order_once()
    {
        const string labels = "component_id=\"r\"";
        var lines = Export(sink =>
        {
            sink.OnSample(new MetricSample(Instant.FromSeconds(0), MetricNames.AcceptBacklog, labels, 1));
            sink.OnSample(new MetricSample(Instant.FromSeconds(10), MetricNames.AcceptBacklog, labels, 3));
            sink.OnSample(new MetricSample(Instant.FromSeconds(5), MetricNames.AcceptBacklog, labels, 2));
            sink.OnSample(new MetricSample(Instant.FromSeconds(10), MetricNames.AcceptBacklog, labels, 4));
        });
        Assert.Equal(
        [
            "pipelinesim_accept_backlog{component_id=\"r\"} 1 1767225600.000000",
            "pipelinesim_accept_backlog{component_id=\"r\"} 2 1767225605.000000",
            "pipelinesim_accept_backlog{component_id=\"r\"} 4 1767225610.000000",
        ], lines.Where(l => !l.StartsWith('#')));
    }

    [Fact]
    public void Nothing_is_written_before_complete()
    {
        using var dir = new TempDirectory();
        using (var sink = new OpenMetricsRecordSink(dir.File("m.om"), Start))
            sink.OnSample(new MetricSample(Instant.FromSeconds(2), MetricNames.AcceptBacklog, "component_id=\"r\"", 1));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Every_family_the_run_emits_is_known_with_its_type()
    {
        Assert.True(MetricFamilies.TryFind(MetricNames.WriteSentBytes, out var counter, out string suffix));
        Assert.Equal((MetricFamilyType.Counter, "pyroscope_write_sent_bytes", "_total"), (counter.Type, counter.Name, suffix));
        Assert.True(MetricFamilies.TryFind(MetricNames.AcceptBacklogWait + "_bucket", out var histogram, out suffix));
        Assert.Equal((MetricFamilyType.Histogram, "_bucket"), (histogram.Type, suffix));
        Assert.True(MetricFamilies.TryFind(MetricNames.ReceiveTcpConnectionsLimit, out var gauge, out suffix));
        Assert.Equal((MetricFamilyType.Gauge, ""), (gauge.Type, suffix));
        Assert.False(MetricFamilies.TryFind("pyroscope_write_latency_total", out _, out _)); // a histogram has no _total
        Assert.False(MetricFamilies.TryFind("pyroscope_write_sent_bytes", out _, out _)); // a counter's sample has _total
    }

    private static string[] Export(Action<OpenMetricsRecordSink> feed)
    {
        using var dir = new TempDirectory();
        string path = dir.File("metrics.om");
        using (var sink = new OpenMetricsRecordSink(path, Start))
        {
            feed(sink);
            sink.Complete();
        }
        string text = File.ReadAllText(path);
        Assert.EndsWith("# EOF\n", text);
        return text.TrimEnd('\n').Split('\n');
    }
}
