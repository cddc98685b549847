using PipelineSim.Spec;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Metrics;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Live.Writer;
using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Metrics;

[Trait(LiveTrait.Name, LiveTrait.Value)]
public class PrometheusTextTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(3.0, "3")]
    [InlineData(123456.0, "123456")]
    [InlineData(1e6, "1e+06")]
    [InlineData(1234567.0, "1.234567e+06")]
    [InlineData(0.005, "0.005")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(2.5, "2.5")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(1e21, "1e+21")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NaN, "NaN")]
    public void Values_are_written_as_Go_writes_them(double value, string expected) =>
        Assert.Equal(expected, PrometheusText.FormatValue(value));

    [Fact]
    public void Label_values_are_escaped_and_labels_sorted()
    {
        var registry = new MetricRegistry();
        registry.Counter("x_total", "help", MetricLabels.Of(("z", "a\"b\\c\nd"), ("a", "1"))).Add(2);
        var text = PrometheusText.Write(registry);
        Assert.Equal("# HELP x_total help\n# TYPE x_total counter\nx_total{a=\"1\",z=\"a\\\"b\\\\c\\nd\"} 2\n", text);
        var (samples, _) = PrometheusTextParser.Parse(text);
        Assert.Equal("a\"b\\c\nd", Assert.Single(samples).Label("z"));
    }

    [Fact]
    public void A_histogram_has_cumulative_buckets_a_sum_and_a_count()
    {
        var registry = new MetricRegistry();
        var histogram = registry.Histogram("lat", "h", MetricLabels.Of(("c", "w")), [0.1, 1]);
        foreach (double v in new[] { 0.05, 0.1, 0.5, 3 }) histogram.Observe(v);
        var (samples, types) = PrometheusTextParser.Parse(PrometheusText.Write(registry));
        Assert.Equal("histogram", types["lat"]);
        Assert.Equal([2.0, 3.0, 4.0], samples.Where(s => s.Name == "lat_bucket").Select(s => s.Value));
        Assert.Equal(["0.1", "1", "+Inf"], samples.Where(s => s.Name == "lat_bucket").Select(s => s.Label("le")));
        Assert.Equal(3.65, PrometheusTextParser.Single(samples, "lat_sum").Value, 9);
        Assert.Equal(4, PrometheusTextParser.Single(samples, "lat_count").Value);
    }

    [Fact]
    public async Task A_writer_exports_the_pyroscope_write_family_with_endpoint_labels()
    {
        var context = new LiveContext();
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope") with
        {
            Outages = [new OutageSpec(TimeSpan.Zero, TimeSpan.FromHours(1))],
        }, context);
        string url = backend.BaseUri.ToString();
        await using var writer = new LiveWriter("w2", WriteTo(url, maxRetries: 3), context);
        await writer.PushAsync(Push(series: 2, bytes: 100), Agent());
        await using var metrics = await MetricsServer.StartAsync(context.Metrics, AnyLoopbackPort);
        using var http = new HttpClient();
        var (samples, types) = PrometheusTextParser.Parse(await http.GetStringAsync(metrics.MetricsUri));

        var endpoint = new[] { ("component_id", "w2"), ("endpoint", url) };
        Assert.Equal("counter", types[MetricNames.WriteRetries]);
        Assert.Equal(2, PrometheusTextParser.Single(samples, MetricNames.WriteRetries, endpoint).Value);
        Assert.Equal(200, PrometheusTextParser.Single(samples, MetricNames.WriteDroppedBytes, endpoint).Value);
        Assert.Equal(2, PrometheusTextParser.Single(samples, MetricNames.WriteDroppedProfiles, endpoint).Value);
        Assert.Equal(0, PrometheusTextParser.Single(samples, MetricNames.WriteSentProfiles, endpoint).Value);
        Assert.Equal(3, PrometheusTextParser.Single(samples, MetricNames.WriteLatency + "_count", [.. endpoint, ("type", "push_downstream")]).Value);
        Assert.Equal(1, PrometheusTextParser.Single(samples, MetricNames.WriteLatency + "_count", [.. endpoint, ("type", "push_endpoint")]).Value);
        Assert.Equal(1, PrometheusTextParser.Single(samples, MetricNames.WriteLatency + "_count",
            ("component_id", "w2"), ("endpoint", "-"), ("type", "push_total")).Value);

        // The same numbers go to the record sink as samples, labels in the same sorted text form.
        var snapshot = context.Metrics.Snapshot(Instant.Zero);
        Assert.Contains(snapshot, s => s.Name == MetricNames.WriteRetries && s.Labels == $"component_id=\"w2\",endpoint=\"{url}\"" && s.Value == 2);
    }
}
