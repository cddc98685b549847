using System.Net;
using Google.Protobuf;
using PipelineSim.Core.Options;
using PipelineSim.Core.Time;
using PipelineSim.Live.Wire;
using PipelineSim.Spec;

namespace PipelineSim.Live.Tests.Support;

/// <summary>Small builders shared by the live tests.</summary>
internal static class Live
{
    public static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    public static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    /// <summary>A backend with the spec's defaults but answering at once (the default latency is ~0.7 s).</summary>
    public static BackendSpec StubBackend(string name, double latencySeconds = 0) =>
        new() { Name = name, Latency = Distributions.Constant(latencySeconds) };

    public static PushRequest Push(int series = 1, int bytes = 64, string service = "agent")
    {
        var push = new PushRequest();
        for (int i = 0; i < series; i++)
        {
            push.Series.Add(new RawProfileSeries
            {
                Labels =
                {
                    new LabelPair { Name = "__name__", Value = $"type{i}" },
                    new LabelPair { Name = "service_name", Value = service },
                },
                Samples = { new RawSample { RawProfile = ByteString.CopyFrom(new byte[bytes]) } },
            });
        }
        return push;
    }

    public static WriteOptions WriteTo(string url, TimeSpan? remoteTimeout = null, int maxRetries = 1,
        TimeSpan? minBackoff = null, TimeSpan? maxBackoff = null) => new()
        {
            Endpoints =
            [
                new WriteEndpointOptions
                {
                    Url = url,
                    RemoteTimeout = remoteTimeout ?? TimeSpan.FromSeconds(10),
                    MaxBackoffRetries = maxRetries,
                    MinBackoffPeriod = minBackoff ?? Ms(20),
                    MaxBackoffPeriod = maxBackoff ?? Ms(40),
                },
            ],
        };

    public static PushContext Agent(string source = "agent-0") => new(source, Deadline.None);

    /// <summary>Polls until <paramref name="condition"/> holds or fails the test after <paramref name="timeout"/>.</summary>
    public static async Task Eventually(Func<bool> condition, TimeSpan timeout, string what)
    {
        var give = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > give) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }
}
