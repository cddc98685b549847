using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using PipelineSim.Live.Proxy;
using static PipelineSim.Live.Tests.Support.Live;
using PipelineSim.Live.Tests.Support;

namespace PipelineSim.Live.Tests.Proxy;

/// <summary>The fault proxy driven over its HTTP control API, as a CI job or a notebook would with curl.</summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public sealed class FaultProxyControlTests : IAsyncLifetime
{
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Socket upstream = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource stop = new();
    private FaultProxy proxy = null!;
    private FaultProxyControl control = null!;

    public async Task InitializeAsync()
    {
        upstream.Bind(AnyLoopbackPort);
        upstream.Listen(16);
        _ = EchoAsync();
        proxy = FaultProxy.Start("link", new FaultProxyOptions { Latency = Ms(0) }, (IPEndPoint)upstream.LocalEndPoint!, new LiveContext());
        control = await FaultProxyControl.StartAsync(proxy, AnyLoopbackPort);
    }

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        upstream.Dispose();
        await control.DisposeAsync();
        await proxy.DisposeAsync();
        http.Dispose();
    }

    [Fact]
    public async Task Flows_are_listed_with_their_bytes()
    {
        using var a = await Connect();
        using var b = await Connect();
        await RoundTrip(a, "hello");
        await RoundTrip(b, "hi");

        var listing = await Get("/flows");
        var flows = listing.GetProperty("flows").EnumerateArray().ToList();
        Assert.Equal(2, flows.Count);
        Assert.All(flows, f => Assert.Equal("alive", f.GetProperty("state").GetString()));
        Assert.Equal(new long[] { 5, 2 }, flows.Select(f => f.GetProperty("bytes_to_upstream").GetInt64()));
        Assert.Equal(new long[] { 5, 2 }, flows.Select(f => f.GetProperty("bytes_to_client").GetInt64()));
        Assert.Equal(a.LocalEndPoint!.ToString(), flows[0].GetProperty("client").GetString());
        Assert.Equal("0s", listing.GetProperty("latency").GetString());
    }

    [Fact]
    public async Task Latency_is_set_and_healed()
    {
        using var client = await Connect();
        var set = await Send(HttpMethod.Put, "/latency?value=150ms");
        Assert.Equal((HttpStatusCode.OK, "150ms"), (set.Status, set.Json.GetProperty("latency").GetString()));
        Assert.Equal(Ms(150), proxy.Latency);

        // 150 ms one way, each way: a round trip now takes at least 300 ms.
        var watch = Stopwatch.StartNew();
        await RoundTrip(client, "slow");
        Assert.True(watch.Elapsed >= Ms(290), $"round trip took {watch.Elapsed.TotalMilliseconds} ms");

        var healed = await Send(HttpMethod.Post, "/heal");
        Assert.Equal((HttpStatusCode.OK, "0s"), (healed.Status, healed.Json.GetProperty("latency").GetString()));
        Assert.Equal(TimeSpan.Zero, proxy.Latency);
    }

    [Fact]
    public async Task One_flow_is_reset_and_the_others_are_broken_silently()
    {
        using var first = await Connect();
        using var second = await Connect();
        await RoundTrip(first, "a");
        await RoundTrip(second, "b");
        long firstId = (await Get("/flows")).GetProperty("flows")[0].GetProperty("id").GetInt64();

        var reset = await Send(HttpMethod.Post, $"/flows/{firstId}/break?mode=reset");
        Assert.Equal((HttpStatusCode.OK, 1), (reset.Status, reset.Json.GetProperty("broken").GetInt32()));
        // Its next packet is answered with RST.
        await first.SendAsync("x"u8.ToArray(), SocketFlags.None);
        var buffer = new byte[16];
        var refused = await Assert.ThrowsAsync<SocketException>(async () =>
            await first.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(SocketError.ConnectionReset, refused.SocketErrorCode);

        var rest = await Send(HttpMethod.Post, "/break");
        Assert.Equal(1, rest.Json.GetProperty("broken").GetInt32());
        var states = (await Get("/flows")).GetProperty("flows").EnumerateArray().Select(f => f.GetProperty("state").GetString());
        Assert.Contains("broken-silent", states);
        Assert.Equal(2, proxy.FlowsBroken);
    }

    [Theory]
    [InlineData("POST", "/latency?value=soon", 400, "latency: ")]
    [InlineData("POST", "/latency?value=-1s", 400, "negative")]
    [InlineData("POST", "/break?mode=loud", 400, "neither silent nor reset")]
    [InlineData("POST", "/flows/999/break", 404, "no open flow 999")]
    [InlineData("POST", "/flows/abc/break", 400, "not a number")]
    [InlineData("GET", "/break", 405, "use POST")]
    [InlineData("GET", "/nowhere", 404, "no route")]
    public async Task Bad_requests_get_a_json_error(string method, string path, int status, string message)
    {
        var answer = await Send(new HttpMethod(method), path);
        Assert.Equal(status, (int)answer.Status);
        Assert.Contains(message, answer.Json.GetProperty("error").GetString());
        Assert.Equal(TimeSpan.Zero, proxy.Latency);
    }

    [Fact]
    public async Task The_control_api_listens_on_loopback_only()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => FaultProxyControl.StartAsync(proxy, new IPEndPoint(IPAddress.Any, 0)));
        Assert.Contains("loopback only", refused.Message);
    }

    private async Task<Socket> Connect()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(proxy.EndPoint);
        return socket;
    }

    private static async Task RoundTrip(Socket socket, string text)
    {
        byte[] sent = System.Text.Encoding.ASCII.GetBytes(text);
        await socket.SendAsync(sent, SocketFlags.None);
        var echo = new byte[sent.Length];
        int got = 0;
        while (got < echo.Length)
            got += await socket.ReceiveAsync(echo.AsMemory(got), SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(sent, echo);
    }

    private async Task<JsonElement> Get(string path) => (await Send(HttpMethod.Get, path)).Json;

    private async Task<(HttpStatusCode Status, JsonElement Json)> Send(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(control.BaseUri, path));
        using var response = await http.SendAsync(request);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private async Task EchoAsync()
    {
        try
        {
            while (true)
            {
                var socket = await upstream.AcceptAsync(stop.Token);
                _ = Task.Run(async () =>
                {
                    using (socket)
                    {
                        var buffer = new byte[1024];
                        try
                        {
                            int read;
                            while ((read = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, stop.Token)) > 0)
                                await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, stop.Token);
                        }
                        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                        {
                        }
                    }
                });
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
