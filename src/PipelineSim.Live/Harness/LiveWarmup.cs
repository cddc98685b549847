using Google.Protobuf;
using PipelineSim.Core.Options;
using PipelineSim.Core.Time;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Proxy;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Wire;
using PipelineSim.Live.Writer;
using PipelineSim.Spec;

namespace PipelineSim.Live.Harness;

/// <summary>
/// The first request through Kestrel, HttpClient and protobuf in a process spends hundreds of milliseconds in the
/// JIT: at a time scale of 1/20 that is several seconds of scenario time, enough to time a push out. A run that
/// measures time first pushes a few times through every kind of component, once per process, with the thread pool's
/// headroom already raised (<see cref="ThreadPoolHeadroom"/>) so neither the warm-up nor what follows waits for the
/// pool to grow.
/// </summary>
public static class LiveWarmup
{
    private static readonly Lazy<Task> Once = new(RunAsync);

    public static Task EnsureAsync() => Once.Value;

    private static async Task RunAsync()
    {
        ThreadPoolHeadroom.Ensure();
        var context = new LiveContext();
        await using var backend = await BackendStub.StartAsync(new BackendSpec { Name = "warm-backend", Latency = Distributions.Constant(0) }, context).ConfigureAwait(false);
        await using var proxy = FaultProxy.Start("warm-link", new FaultProxyOptions { Latency = TimeSpan.FromMilliseconds(1) }, backend.EndPoint, context);
        await using var receiver = await LiveReceiver.StartAsync(
            new ReceiverSpec { Name = "warm-r", Http = new ReceiveHttpOptions { ListenPort = 0, ConnLimit = 4 } }, context).ConfigureAwait(false);
        await using var w2 = new LiveWriter("warm-w2", WriteTo(proxy.BaseUri), context);
        receiver.ForwardTo([w2]);
        await using var w1 = new LiveWriter("warm-w1", WriteTo(receiver.BaseUri), context);
        var push = new PushRequest();
        for (int i = 0; i < 2; i++)
        {
            push.Series.Add(new RawProfileSeries
            {
                Labels = { new LabelPair { Name = "__name__", Value = $"type{i}" }, new LabelPair { Name = "service_name", Value = "warmup" } },
                Samples = { new RawSample { RawProfile = ByteString.CopyFrom(new byte[64]) } },
            });
        }
        for (int i = 0; i < 3; i++) await w1.PushAsync(push, new PushContext("warmup", Deadline.None)).ConfigureAwait(false);
    }

    private static WriteOptions WriteTo(Uri url) => new()
    {
        Endpoints = [new WriteEndpointOptions { Url = url.ToString(), MaxBackoffRetries = 1 }],
    };
}
