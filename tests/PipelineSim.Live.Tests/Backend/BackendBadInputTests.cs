using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using PipelineSim.Core.Backend;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Live.Time;
using PipelineSim.Live.Writer;
using PipelineSim.Spec;
using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Backend;

/// <summary>Requests the backend cannot read get what Core's <see cref="RequestFaults"/> says a real server answers.</summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public sealed class BackendBadInputTests : IAsyncLifetime
{
    private const string PushPath = "/push.v1.PusherService/Push";
    private readonly HttpClient http = new();
    private readonly LiveContext context = new();
    private BackendStub backend = null!;

    public async Task InitializeAsync() =>
        backend = await BackendStub.StartAsync(StubBackend("pyroscope") with
        {
            MaxRequestBodyBytes = 4096,
            ServerReadTimeout = TimeSpan.FromSeconds(1),
        }, context);

    public async Task DisposeAsync()
    {
        http.Dispose();
        await backend.DisposeAsync();
    }

    private async Task<HttpResponseMessage> Post(Uri server, string path, byte[] body, string contentType = "application/proto")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri(server, path)) { Content = content });
    }

    private static async Task<string> CodeOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString()!;

    [Fact]
    public async Task A_body_over_the_limit_is_413_invalid_argument_and_not_retried()
    {
        var records = new RecordingSink();
        var recorded = new LiveContext(sink: records);
        using var response = await Post(backend.BaseUri, PushPath, Push(bytes: 10_000).ToByteArray());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("invalid_argument", await CodeOf(response));

        using var ingest = await Post(backend.BaseUri, "/ingest", new byte[10_000], "application/octet-stream");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, ingest.StatusCode);

        // Alloy's writer gives up at once: no retry of a request that can never fit.
        await using var writer = new LiveWriter("w", WriteTo(backend.BaseUri.ToString(), maxRetries: 3), recorded);
        var result = await writer.PushAsync(Push(bytes: 10_000), Agent());
        Assert.Equal(ConnectCode.InvalidArgument, Assert.Single(result.Failures).LastError.Code);
        Assert.Equal(1, Assert.Single(records.Pushes).Attempts);
    }

    [Fact]
    public async Task Broken_chunk_framing_is_400_invalid_argument()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(backend.EndPoint);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST {PushPath} HTTP/1.1\r\nHost: b\r\nContent-Type: application/proto\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nxx\r\n0\r\n\r\n"));
        string answer = await ReadAnswer(stream);
        Assert.StartsWith("HTTP/1.1 400", answer);
        Assert.Contains("\"code\":\"invalid_argument\"", answer);
    }

    [Fact]
    public async Task An_unknown_content_type_gets_the_same_415_from_the_backend_and_the_receiver()
    {
        await using var receiver = await LiveReceiver.StartAsync(
            new ReceiverSpec { Name = "r", Http = new ReceiveHttpOptions { ListenPort = 0, ConnLimit = 4 } }, context);
        var body = Push().ToByteArray();
        using var fromBackend = await Post(backend.BaseUri, PushPath, body, "text/plain");
        using var fromReceiver = await Post(receiver.BaseUri, PushPath, body, "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, fromBackend.StatusCode);
        Assert.Equal(fromReceiver.StatusCode, fromBackend.StatusCode);
        Assert.Equal(fromReceiver.Headers.GetValues("Accept-Post"), fromBackend.Headers.GetValues("Accept-Post"));
    }

    [Fact]
    public async Task A_body_sent_too_slowly_is_cut_off_at_the_read_timeout()
    {
        // A backend of its own on a manual clock: the read deadline (1 s after the request arrived) is the rule's instant.
        var time = new ManualTimeProvider();
        var readTimeout = TimeSpan.FromSeconds(1);
        await using var slow = await BackendStub.StartAsync(StubBackend("pyroscope") with { ServerReadTimeout = readTimeout },
            new LiveContext(new LiveClock(1.0, time)));
        using var client = new TcpClient();
        await client.ConnectAsync(slow.EndPoint);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST {PushPath} HTTP/1.1\r\nHost: b\r\nContent-Type: application/proto\r\nContent-Length: 100\r\n\r\n0123456789"));
        // The handler has begun (past Go's header phase): the timer now pending is the body's read deadline.
        await Eventually(() => slow.Requests == 1 && time.HasTimerAt(readTimeout), TimeSpan.FromSeconds(10), "the request's body read deadline set");

        // The other 90 bytes never come: one tick before the deadline the connection is still open...
        time.Advance(readTimeout - TimeSpan.FromTicks(1));
        var answer = ReadAnswer(stream);
        await Task.Delay(Ms(100)); // a connection closed too early would end the read meanwhile
        Assert.False(answer.IsCompleted, "closed before the read deadline");
        // ...and at the deadline the server closes it without an answer, as Go's read deadline does.
        time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal("", await answer);
        Assert.Equal(0, slow.Ingested);
    }

    private static async Task<string> ReadAnswer(NetworkStream stream)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, guard.Token)) > 0)
            {
                received.Write(buffer, 0, read);
                string text = Encoding.ASCII.GetString(received.ToArray());
                int headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (headerEnd >= 0 && text.Contains("Content-Length: ", StringComparison.OrdinalIgnoreCase))
                {
                    int at = text.IndexOf("Content-Length: ", StringComparison.OrdinalIgnoreCase) + 16;
                    int length = int.Parse(text[at..text.IndexOf('\r', at)]);
                    if (text.Length >= headerEnd + 4 + length) return text;
                }
            }
        }
        catch (IOException)
        {
            // A reset ends the answer as a FIN does.
        }
        Assert.False(guard.IsCancellationRequested, "the server neither answered nor closed within 20 s");
        return Encoding.ASCII.GetString(received.ToArray());
    }
}
