using System.IO.Compression;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;
using PipelineSim.Spec;
using Xunit.Abstractions;
using PipelineSim.Core.Options;
using Microsoft.AspNetCore.Http;
using PipelineSim.Live.Hosting;
using PipelineSim.Live.Receiver;
using static PipelineSim.Live.Tests.Support.Live;
using PipelineSim.Live.Tests.Support;

namespace PipelineSim.Live.Tests.Receiver;

/// <summary>
/// What a request body costs the receiver in memory: a gzip bomb must be refused for about what it weighs on the
/// wire, a large plain body must cost about its size once, and the memory must come back afterwards. Measured as
/// bytes allocated by the whole test process (the receiver runs in it) while the requests are served.
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public sealed class BodyMemoryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const long Limit = 64L * 1024 * 1024;
    private const long MiB = 1024 * 1024;

    // 100 MiB of zeros, gzipped: about 100 KB on the wire that inflates past the 64 MiB limit.
    private static readonly Lazy<byte[]> Bomb = new(() => Gzip(100 * MiB));

    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private LiveReceiver receiver = null!;

    private Uri PushUri => new(receiver.BaseUri, "/push.v1.PusherService/Push");

    public async Task InitializeAsync() =>
        receiver = await LiveReceiver.StartAsync(new ReceiverSpec
        {
            Name = "r",
            Http = new ReceiveHttpOptions { ListenPort = 0, ConnLimit = 0 },
            MaxRequestBodyBytes = Limit,
        }, new LiveContext());

    public async Task DisposeAsync()
    {
        http.Dispose();
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task Twenty_concurrent_gzip_bombs_are_refused_for_about_what_they_weigh()
    {
        byte[] bomb = Bomb.Value;
        Assert.InRange(bomb.Length, 50_000, 150_000);
        await Warm();

        var (answers, allocated) = await Measure(() => Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Post(PushUri, bomb, gzip: true))));

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "resource_exhausted"), (a.Status, CodeOf(a.Body))));
        Assert.All(answers, a => Assert.Contains("decompressed body larger than", a.Body));
        // Inflating each bomb into memory up to the limit would allocate 20 x 64 MiB at least.
        output.WriteLine($"20 bombs: allocated {allocated / MiB} MiB");
        Assert.True(allocated < 48 * MiB, $"20 gzip bombs of {bomb.Length} bytes allocated {allocated / MiB} MiB");
        await StillServesAndGivesMemoryBack();
    }

    [Fact]
    public async Task A_gzip_bomb_on_ingest_is_refused_the_same_way()
    {
        await Warm();
        var (answers, allocated) = await Measure(() => Task.WhenAll(
            Enumerable.Range(0, 5).Select(_ => Post(new Uri(receiver.BaseUri, "/ingest?name=app"), Bomb.Value, gzip: true))));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.RequestEntityTooLarge, a.Status));
        Assert.True(allocated < 24 * MiB, $"5 gzip bombs on /ingest allocated {allocated / MiB} MiB");
    }

    [Fact]
    public async Task Ten_concurrent_60_MiB_plain_bodies_cost_about_their_size_once()
    {
        // Zeros are not a valid PushRequest (field number 0), so each is read in full and then refused with 400.
        var body = new byte[60 * MiB];
        await Warm();

        // What carrying the bodies costs by itself (client, Kestrel's pipes): a bare server that reads and drops them.
        await using var sink = await KestrelHost.StartAsync(new KestrelHostSpec(AnyLoopbackPort)
        {
            Configure = kestrel => kestrel.Limits.MaxRequestBodySize = Limit,
        }, async context =>
        {
            var scratch = new byte[64 * 1024];
            while (await context.Request.Body.ReadAsync(scratch) > 0)
            {
            }
            context.Response.StatusCode = 400;
        });
        await Post(new Uri(sink.BaseUri, "/"), [1]);
        var (_, carrying) = await Measure(() => Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Post(new Uri(sink.BaseUri, "/"), body))));

        var (answers, allocated) = await Measure(() => Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Post(PushUri, body))));

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.BadRequest, "invalid_argument"), (a.Status, CodeOf(a.Body))));
        // One exact array per body costs 1 time the bodies; a growing MemoryStream and its final copy about 3 times.
        long receiverCost = allocated - carrying;
        output.WriteLine($"allocated {allocated / MiB} MiB, carrying {carrying / MiB} MiB, receiver {receiverCost / MiB} MiB");
        long bound = 10 * 60 * MiB * 3 / 2;
        Assert.True(receiverCost < bound,
            $"10 bodies of 60 MiB cost the receiver {receiverCost / MiB} MiB beyond the {carrying / MiB} MiB of carrying them (bound {bound / MiB} MiB)");
        await StillServesAndGivesMemoryBack();
    }

    [Fact]
    public async Task A_gzip_body_within_the_limit_still_works()
    {
        var push = Support.Live.Push(series: 3, bytes: 4096);
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) push.WriteTo(gzip);
        var answer = await Post(PushUri, compressed.ToArray(), gzip: true);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    private static byte[] Gzip(long zeros)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var chunk = new byte[MiB];
            for (long written = 0; written < zeros; written += chunk.Length) gzip.Write(chunk);
        }
        return compressed.ToArray();
    }

    private static async Task<(T Result, long Allocated)> Measure<T>(Func<Task<T>> run)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var result = await run();
        return (result, GC.GetTotalAllocatedBytes(precise: true) - before);
    }

    /// <summary>One small request first, so connection setup and JIT do not count against the bound.</summary>
    private async Task Warm()
    {
        var ok = await Post(PushUri, Support.Live.Push().ToByteArray());
        Assert.Equal(HttpStatusCode.OK, ok.Status);
    }

    private async Task StillServesAndGivesMemoryBack()
    {
        await Warm();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        // Nothing the receiver keeps (pools, caches) holds on to the bodies it refused or read.
        long live = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(live < 256 * MiB, $"{live / MiB} MiB still live after the requests");
    }

    private async Task<(HttpStatusCode Status, string Body)> Post(Uri uri, byte[] body, bool gzip = false)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/proto");
        if (gzip) content.Headers.ContentEncoding.Add("gzip");
        using var response = await http.PostAsync(uri, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string CodeOf(string json) => JsonDocument.Parse(json).RootElement.GetProperty("code").GetString()!;
}
