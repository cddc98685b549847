using PipelineSim.Spec;
using System.Net;
using System.Net.Http;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Live.Time;
using PipelineSim.Live.Wire;
using PipelineSim.Live.Writer;
using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Pipeline;

[Trait(LiveTrait.Name, LiveTrait.Value)]
public class ForwardingTests
{
    private static ReceiverSpec Options() => new() { Name = "r", Http = new ReceiveHttpOptions { ListenPort = 0 } };

    [Fact]
    public async Task A_failing_target_makes_the_receiver_answer_internal_so_the_upstream_retries_and_duplicates_reach_the_other()
    {
        await Warmup.EnsureAsync();
        var records = new RecordingSink();
        var context = new LiveContext(sink: records);
        await using var healthy = await BackendStub.StartAsync(StubBackend("healthy"), context);
        await using var broken = await BackendStub.StartAsync(StubBackend("broken") with
        {
            Errors = [new ErrorRateSpec(ConnectCode.Unavailable, 1.0)],
        }, context);
        await using var toHealthy = new LiveWriter("w2a", WriteTo(healthy.BaseUri.ToString()), context);
        await using var toBroken = new LiveWriter("w2b", WriteTo(broken.BaseUri.ToString()), context);
        await using var receiver = await LiveReceiver.StartAsync(Options(), context);
        receiver.ForwardTo([toHealthy, toBroken]);
        await using var w1 = new LiveWriter("w1", WriteTo(receiver.BaseUri.ToString(), maxRetries: 3), context);

        var result = await w1.PushAsync(Push(series: 2), Agent());

        var failure = Assert.Single(result.Failures);
        Assert.Equal(ConnectCode.Internal, failure.LastError.Code);
        Assert.Contains("unable to append series", failure.LastError.Message);
        Assert.Contains("to appendable 1", failure.LastError.Message);
        Assert.Equal(3, records.Pushes.Single(p => p.Writer == "w1").Attempts);
        // Every retry re-sent both series to the healthy target too: 3 attempts × 2 series.
        Assert.Equal(6, healthy.ProfilesDelivered);
        Assert.Equal(0, broken.ProfilesDelivered);
        Assert.Equal(3, receiver.Stats().RequestsFailed);
    }

    [Fact]
    public async Task Ingest_is_forwarded_with_its_query_and_content_type_and_without_a_deadline()
    {
        await Warmup.EnsureAsync();
        var records = new RecordingSink();
        var context = new LiveContext(sink: records);
        var seen = new List<BackendRequest>();
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope"), context);
        backend.RequestCompleted += r => { lock (seen) seen.Add(r); };
        await using var w2 = new LiveWriter("w2", WriteTo(backend.BaseUri.ToString()), context);
        await using var receiver = await LiveReceiver.StartAsync(Options(), context);
        receiver.ForwardTo([w2]);

        using var http = new HttpClient();
        using var content = new ByteArrayContent(new byte[100]);
        content.Headers.TryAddWithoutValidation("Content-Type", "binary/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(receiver.BaseUri, "/ingest?name=app.cpu%7Benv%3Dprod%7D&spyName=gospy")) { Content = content };
        request.Headers.TryAddWithoutValidation("Connect-Timeout-Ms", "5000"); // plain HTTP: not a deadline here
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var forwarded = Assert.Single(records.Pushes);
        Assert.Equal((100L, false), (forwarded.Bytes, forwarded.ParentDeadline.HasValue));
        var arrived = Assert.Single(seen);
        Assert.Equal(("/ingest", null), (arrived.Path, arrived.ConnectTimeoutHeader));
    }

    [Fact]
    public async Task An_ingest_error_status_from_downstream_is_passed_back_as_is()
    {
        var context = new LiveContext();
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope") with
        {
            Errors = [new ErrorRateSpec(ConnectCode.PermissionDenied, 1.0)],
        }, context);
        await using var w2 = new LiveWriter("w2", WriteTo(backend.BaseUri.ToString()), context);
        await using var receiver = await LiveReceiver.StartAsync(Options(), context);
        receiver.ForwardTo([w2]);
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(receiver.BaseUri, "/ingest?name=x"), new ByteArrayContent([1, 2, 3]));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Forbidden\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_pool_reuses_the_connection_and_the_record_says_so()
    {
        var time = new ManualTimeProvider();
        var records = new RecordingSink();
        var context = new LiveContext(new LiveClock(1.0, time), records);
        await using var backend = await BackendStub.StartAsync(StubBackend("pyroscope"), context);
        await using var writer = new LiveWriter("w", WriteTo(backend.BaseUri.ToString()), context);
        await writer.PushAsync(Push(), Agent());
        time.Advance(Ms(150));
        await writer.PushAsync(Push(), Agent());

        var (first, second) = (records.Attempts[0], records.Attempts[1]);
        Assert.Equal((false, true), (first.Reused, second.Reused));
        Assert.Equal(first.ConnectionId, second.ConnectionId);
        Assert.Equal(Ms(150), second.IdleBefore); // from the first answer's last byte to the second request's first
        Assert.Equal(1, writer.OpenConnections);
    }

    [Fact]
    public async Task Series_labels_get_Alloys_treatment_on_the_way()
    {
        var seen = new List<RawProfileSeries>();
        var capture = new CapturingTarget(seen);
        var context = new LiveContext();
        await using var receiver = await LiveReceiver.StartAsync(Options(), context);
        receiver.ForwardTo([capture]);
        var options = WriteTo(receiver.BaseUri.ToString()) with { ExternalLabels = new Dictionary<string, string> { ["cluster"] = "eu" } };
        await using var w1 = new LiveWriter("w1", options, context);
        var push = new PushRequest
        {
            Series =
            {
                new RawProfileSeries
                {
                    Labels =
                    {
                        new LabelPair { Name = "__name__", Value = "process_cpu" },
                        new LabelPair { Name = "__internal", Value = "dropped" },
                        new LabelPair { Name = "cluster", Value = "us" },
                    },
                },
            },
        };
        Assert.True((await w1.PushAsync(push, Agent())).Succeeded);
        var labels = Assert.Single(seen).Labels.Select(l => (l.Name, l.Value)).ToList();
        // w1 dropped __internal, set the external label over the incoming one and sorted; the receiver added
        // service_name from __name__.
        Assert.Equal([("__name__", "process_cpu"), ("cluster", "eu"), ("service_name", "process_cpu")], labels);

        var invalid = await w1.PushAsync(new PushRequest { Series = { new RawProfileSeries() } }, Agent());
        Assert.Equal(ConnectCode.InvalidArgument, Assert.Single(invalid.Failures).LastError.Code);
    }

    private sealed class CapturingTarget(List<RawProfileSeries> seen) : IProfilesTarget
    {
        public string Name => "capture";

        public Task<WriteResult> AppendAsync(RawProfileSeries series, PushContext context, CancellationToken cancellationToken)
        {
            lock (seen) seen.Add(series);
            return Task.FromResult(WriteResult.Success);
        }

        public Task<WriteResult> AppendIngestAsync(IngestRequest request, PushContext context, CancellationToken cancellationToken) =>
            Task.FromResult(WriteResult.Success);
    }
}
