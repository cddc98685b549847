using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;
using PipelineSim.Core.Options;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Spec;
using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Receiver;

/// <summary>Whatever a client sends, the receiver answers as Alloy's would and keeps serving.</summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public sealed class BadInputTests : IAsyncLifetime
{
    private readonly HttpClient http = new();
    private LiveReceiver receiver = null!;

    private Uri PushUri => new(receiver.BaseUri, "/push.v1.PusherService/Push");

    public async Task InitializeAsync()
    {
        receiver = await LiveReceiver.StartAsync(new ReceiverSpec
        {
            Name = "r",
            Http = new ReceiveHttpOptions { ListenPort = 0, ConnLimit = 4 },
            MaxRequestBodyBytes = 4096,
        }, new LiveContext());
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await receiver.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string? ContentType, string Body)> Post(Uri uri, byte[] body,
        string contentType = "application/proto", string? timeout = null)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        if (timeout is not null) request.Headers.TryAddWithoutValidation("Connect-Timeout-Ms", timeout);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private static string CodeOf(string json) => JsonDocument.Parse(json).RootElement.GetProperty("code").GetString()!;

    private async Task StillServes()
    {
        var ok = await Post(PushUri, Support.Live.Push().ToByteArray(), timeout: "5000");
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal("application/proto", ok.ContentType);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("12345678901")] // 11 digits: connect-go's limit is 10
    [InlineData("1.5")]
    public async Task A_malformed_Connect_Timeout_Ms_is_400_invalid_argument(string header)
    {
        var (status, type, body) = await Post(PushUri, Support.Live.Push().ToByteArray(), timeout: header);
        Assert.Equal((HttpStatusCode.BadRequest, "application/json", "invalid_argument"), (status, type, CodeOf(body)));
        await StillServes();
    }

    [Fact]
    public async Task A_malformed_protobuf_body_is_400_invalid_argument()
    {
        var (status, _, body) = await Post(PushUri, [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_argument"), (status, CodeOf(body)));
        Assert.Contains("push.v1.PushRequest", body);
        await StillServes();
    }

    [Fact]
    public async Task Malformed_json_is_400_and_valid_json_is_answered_in_json()
    {
        var bad = await Post(PushUri, "{\"series\": 12"u8.ToArray(), "application/json");
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_argument"), (bad.Status, CodeOf(bad.Body)));
        string json = JsonFormatter.Default.Format(Support.Live.Push());
        var good = await Post(PushUri, System.Text.Encoding.UTF8.GetBytes(json), "application/json; charset=utf-8");
        Assert.Equal((HttpStatusCode.OK, "application/json"), (good.Status, good.ContentType));
        var empty = JsonDocument.Parse(good.Body).RootElement;
        Assert.Equal((JsonValueKind.Object, 0), (empty.ValueKind, empty.EnumerateObject().Count()));
    }

    [Fact]
    public async Task An_oversized_body_is_413()
    {
        var (status, _, body) = await Post(PushUri, Support.Live.Push(bytes: 8192).ToByteArray());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("4096", body);
        await StillServes();
    }

    [Fact]
    public async Task An_oversized_body_is_discarded_after_the_413_and_the_connection_serves_on_as_go_does()
    {
        // Closing with the body unread would make the kernel answer RST, which once destroyed the 413 before the
        // client read it ("The response ended prematurely"). One pooled connection serves the 413 and the next push.
        using var oneConnection = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 });
        using var big = new ByteArrayContent(Support.Live.Push(bytes: 64 * 1024).ToByteArray());
        big.Headers.ContentType = new MediaTypeHeaderValue("application/proto");
        using var refused = await oneConnection.PostAsync(PushUri, big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        await refused.Content.ReadAsStringAsync();

        using var small = new ByteArrayContent(Support.Live.Push().ToByteArray());
        small.Headers.ContentType = new MediaTypeHeaderValue("application/proto");
        using var served = await oneConnection.PostAsync(PushUri, small);

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(1, receiver.Stats().ConnectionsAccepted);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/push.v1.PusherService/Other")]
    [InlineData("/metrics")]
    public async Task Unknown_paths_are_404(string path)
    {
        var (status, _, body) = await Post(new Uri(receiver.BaseUri, path), []);
        Assert.Equal((HttpStatusCode.NotFound, "404 page not found\n"), (status, body));
        await StillServes();
    }

    [Fact]
    public async Task Other_methods_and_content_types_are_refused()
    {
        using var get = await http.GetAsync(PushUri);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        var (status, _, _) = await Post(PushUri, [], "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        await StillServes();
    }

    private async Task<(HttpStatusCode Status, string? ContentType, string Body)> PostEncoded(Uri uri, byte[] body, string encoding)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/proto");
        content.Headers.ContentEncoding.Add(encoding);
        using var response = await http.PostAsync(uri, content);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private Uri IngestUri => new(receiver.BaseUri, "/ingest?name=app");

    [Fact]
    public async Task A_broken_gzip_body_is_the_clients_fault_on_both_endpoints()
    {
        byte[] notGzip = [0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02];
        var push = await PostEncoded(PushUri, notGzip, "gzip");
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_argument"), (push.Status, CodeOf(push.Body)));
        var ingest = await PostEncoded(IngestUri, notGzip, "gzip");
        Assert.Equal((HttpStatusCode.BadRequest, "text/plain"), (ingest.Status, ingest.ContentType));
        Assert.StartsWith("decompress request:", ingest.Body);
        await StillServes();
    }

    [Fact]
    public async Task An_unknown_content_encoding_is_refused_as_unsupported()
    {
        byte[] body = Support.Live.Push().ToByteArray();
        var push = await PostEncoded(PushUri, body, "br");
        Assert.Equal((HttpStatusCode.NotImplemented, "unimplemented"), (push.Status, CodeOf(push.Body)));
        var ingest = await PostEncoded(IngestUri, body, "br");
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "text/plain"), (ingest.Status, ingest.ContentType));
        Assert.Contains("unknown compression \"br\"", ingest.Body);
        await StillServes();
    }

    [Fact]
    public async Task An_oversized_ingest_body_is_413()
    {
        var ingest = await Post(IngestUri, new byte[8192]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, ingest.Status);
        await StillServes();
    }

    [Fact]
    public async Task Garbage_on_the_socket_does_not_hurt_the_server()
    {
        using (var client = new System.Net.Sockets.TcpClient())
        {
            await client.ConnectAsync(receiver.EndPoint);
            await client.GetStream().WriteAsync("NOT HTTP AT ALL\r\n\r\n"u8.ToArray());
            var buffer = new byte[256];
            int read = await client.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            Assert.StartsWith("HTTP/1.1 400", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        }
        await StillServes();
        // The limiter got its slot back when Kestrel closed that connection.
        await Eventually(() => receiver.AcceptedConnections <= 1, TimeSpan.FromSeconds(2), "the slot back");
    }
}
