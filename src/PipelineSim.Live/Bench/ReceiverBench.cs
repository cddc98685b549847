using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using PipelineSim.Core.Options;
using PipelineSim.Live.Connect;
using PipelineSim.Live.Hosting;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Wire;
using PipelineSim.Spec;

namespace PipelineSim.Live.Bench;

/// <summary>How many requests one server answered in the measured window.</summary>
public sealed record ThroughputResult(string Server, long Requests, TimeSpan Elapsed)
{
    public double PerSecond => Elapsed > TimeSpan.Zero ? Requests / Elapsed.TotalSeconds : 0;
}

/// <summary><c>pipelinesim bench live</c>'s answer: the receiver with its limiter against bare Kestrel.</summary>
public sealed record ReceiverBenchReport(ThroughputResult Receiver, ThroughputResult Bare, int Connections, int ConnLimit)
{
    /// <summary>Receiver requests per second over bare Kestrel's; the target is at least 0.8.</summary>
    public double Ratio => Bare.PerSecond > 0 ? Receiver.PerSecond / Bare.PerSecond : 0;
}

public sealed record ReceiverBenchOptions
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>Concurrent keep-alive client connections, each with one request in flight at a time.</summary>
    public int Connections { get; init; } = 16;

    public int ConnLimit { get; init; } = ReceiveHttpOptions.DefaultConnLimit;

    /// <summary>Bytes of pprof in the single sample of each push.</summary>
    public int ProfileBytes { get; init; } = 1024;
}

/// <summary>
/// Requests per second through a live receiver on loopback (LimitListener, Connect decode, forwarding to no
/// target) against a bare Kestrel endpoint that only reads the body: the cost of the receiver's machinery.
/// </summary>
public static class ReceiverBench
{
    public static async Task<ReceiverBenchReport> RunAsync(ReceiverBenchOptions options, CancellationToken cancellationToken = default)
    {
        if (options.Connections < 1) throw new ArgumentOutOfRangeException(nameof(options), "At least one connection.");
        if (options.ConnLimit != 0 && options.ConnLimit < options.Connections)
            throw new ArgumentOutOfRangeException(nameof(options), "conn_limit below the client connections would measure waiting, not speed.");
        var body = new PushRequest
        {
            Series =
            {
                new RawProfileSeries
                {
                    Labels = { new LabelPair { Name = "service_name", Value = "bench" } },
                    Samples = { new RawSample { RawProfile = ByteString.CopyFrom(new byte[options.ProfileBytes]) } },
                },
            },
        }.ToByteArray();

        ThroughputResult bare;
        await using (var server = await KestrelHost.StartAsync(new KestrelHostSpec(new IPEndPoint(IPAddress.Loopback, 0)), async http =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
            http.Response.StatusCode = StatusCodes.Status200OK;
        }, cancellationToken).ConfigureAwait(false))
        {
            bare = await MeasureAsync("bare Kestrel", server.BaseUri, body, options, cancellationToken).ConfigureAwait(false);
        }

        ThroughputResult receiver;
        await using (var live = await LiveReceiver.StartAsync(new ReceiverSpec
        {
            Name = "r",
            Http = new ReceiveHttpOptions { ListenAddress = "127.0.0.1", ListenPort = 0, ConnLimit = options.ConnLimit },
        }, new LiveContext(), cancellationToken).ConfigureAwait(false))
        {
            receiver = await MeasureAsync("receive_http", live.BaseUri, body, options, cancellationToken).ConfigureAwait(false);
        }
        return new ReceiverBenchReport(receiver, bare, options.Connections, options.ConnLimit);
    }

    private static async Task<ThroughputResult> MeasureAsync(string name, Uri server, byte[] body, ReceiverBenchOptions options,
        CancellationToken cancellationToken)
    {
        var uri = new Uri(server, "/push.v1.PusherService/Push");
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Connections, UseProxy = false });
        long counted = 0;
        bool counting = false;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        async Task LoopAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue(ConnectUnary.ProtoContentType);
                using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
                request.Headers.TryAddWithoutValidation(ConnectUnary.ProtocolVersionHeader, "1");
                request.Headers.TryAddWithoutValidation("Connect-Timeout-Ms", "10000");
                try
                {
                    using var response = await client.SendAsync(request, stop.Token).ConfigureAwait(false);
                    if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{name} answered {(int)response.StatusCode}.");
                    if (Volatile.Read(ref counting)) Interlocked.Increment(ref counted);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        var loops = Enumerable.Range(0, options.Connections).Select(_ => Task.Run(LoopAsync, CancellationToken.None)).ToList();
        await Task.Delay(options.Warmup, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref counting, true);
        var clock = Stopwatch.StartNew();
        await Task.Delay(options.Duration, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref counting, false);
        var elapsed = clock.Elapsed;
        long requests = Interlocked.Read(ref counted);
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(loops).ConfigureAwait(false);
        return new ThroughputResult(name, requests, elapsed);
    }
}
