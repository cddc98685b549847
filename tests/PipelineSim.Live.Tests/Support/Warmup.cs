using PipelineSim.Core.Options;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Proxy;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Writer;
using static PipelineSim.Live.Tests.Support.Live;

namespace PipelineSim.Live.Tests.Support;

/// <summary>
/// The first request through Kestrel, HttpClient and protobuf in a process spends hundreds of milliseconds in the JIT.
/// Tests that measure milliseconds first push once through every kind of component, so they time a warm process.
/// </summary>
internal static class Warmup
{
    private static readonly Lazy<Task> Once = new(RunAsync);

    public static Task EnsureAsync() => Once.Value;

    private static async Task RunAsync()
    {
        var context = new LiveContext(sink: new RecordingSink());
        await using var backend = await BackendStub.StartAsync("warm-backend", new BackendOptions(), context);
        await using var proxy = FaultProxy.Start("warm-link", new FaultProxyOptions { Latency = Ms(1) }, backend.EndPoint, context);
        await using var receiver = await LiveReceiver.StartAsync("warm-r",
            new LiveReceiverOptions { Http = new ReceiveHttpOptions { ListenPort = 0, ConnLimit = 4 } }, context);
        await using var w2 = new LiveWriter("warm-w2", WriteTo(proxy.BaseUri.ToString()), context);
        receiver.ForwardTo([w2]);
        await using var w1 = new LiveWriter("warm-w1", WriteTo(receiver.BaseUri.ToString()), context);
        for (int i = 0; i < 3; i++) await w1.PushAsync(Push(series: 2), Agent());
    }
}
