using PipelineSim.Core.Options;
using PipelineSim.Kernel;
using PipelineSim.Spec;

namespace PipelineSim.Model.Tests;

/// <summary>Specs built in code for the troubleshooting guide's cases.</summary>
internal static class Pipelines
{
    public static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    public static TimeSpan M(double minutes) => TimeSpan.FromMinutes(minutes);

    public static WriterSpec Writer(string name, string url, Func<WriteEndpointOptions, WriteEndpointOptions>? endpoint = null) => new()
    {
        Name = name,
        Options = new WriteOptions { Endpoints = [(endpoint ?? (e => e))(new WriteEndpointOptions { Url = url })] },
    };

    public static BackendSpec Pyroscope(string name = "pyroscope") => new()
    {
        Name = name,
        Latency = Distributions.LogNormal(0.7, 0.4),
        Concurrency = 512,
    };

    /// <summary>
    /// agents -> w1 -> r -> w2 -> pyroscope, with a silent middlebox-free w2 hop whose idle flows are all dropped at
    /// <paramref name="dropAt"/> (the guide's "broken TCP idle connection").
    /// </summary>
    public static PipelineSpec TimeoutChain(
        TimeSpan? w1Timeout = null, TimeSpan? w2Timeout = null, int? retries = null, int agents = 20, TimeSpan? dropAt = null,
        TimeSpan? duration = null, ulong seed = 7)
    {
        WriteEndpointOptions Tune(WriteEndpointOptions e, TimeSpan? timeout) => e with
        {
            RemoteTimeout = timeout ?? e.RemoteTimeout,
            MaxBackoffRetries = retries ?? e.MaxBackoffRetries,
        };
        return new PipelineSpec
        {
            Name = "timeout-chain",
            Duration = duration ?? M(15),
            Seed = seed,
            Sources = [new SourceSpec { Name = "agents", Count = agents, ProfilesPerPush = 2, To = "w1" }],
            Components =
            [
                Writer("w1", "http://r:8080", e => Tune(e, w1Timeout)),
                new ReceiverSpec { Name = "r", ForwardTo = ["w2"] },
                Writer("w2", "http://pyroscope:4040", e => Tune(e, w2Timeout)),
                Pyroscope(),
            ],
            Links = [new LinkSpec { From = "w2", To = "pyroscope", Rtt = TimeSpan.FromMilliseconds(20) }],
            Faults = [new DropIdleFlowsFault { At = dropAt ?? M(10), Link = "w2->pyroscope" }],
        };
    }

    /// <summary>Agents, each its own Alloy with one connection, pushing every interval straight to receivers that forward to pyroscope.</summary>
    public static PipelineSpec ConnLimit(int agents, int connLimit, int backlog = 64, TimeSpan? interval = null,
        TimeSpan? serverIdle = null, int receivers = 1, LoadBalancerLayer? balancer = null, TimeSpan? duration = null)
    {
        var components = new List<ComponentSpec>();
        string target = receivers == 1 && balancer is null ? "r" : "lb";
        components.Add(Writer("w1", $"http://{target}:8080"));
        var names = receivers == 1 ? new[] { "r" } : [.. Enumerable.Range(1, receivers).Select(i => $"r{i}")];
        foreach (var name in names)
        {
            components.Add(new ReceiverSpec
            {
                Name = name,
                Http = new ReceiveHttpOptions { ConnLimit = connLimit, ServerIdleTimeout = serverIdle ?? S(120) },
                AcceptBacklog = backlog,
                ForwardTo = ["w2"],
            });
        }
        if (target == "lb") components.Add(new LoadBalancerSpec { Name = "lb", Layer = balancer ?? LoadBalancerLayer.L4, Targets = names });
        components.Add(Writer("w2", "http://pyroscope:4040"));
        components.Add(Pyroscope());
        return new PipelineSpec
        {
            Name = "conn-limit",
            Duration = duration ?? M(10),
            Seed = 11,
            Sources = [new SourceSpec { Name = "agents", Count = agents, PushInterval = interval ?? S(15), To = "w1" }],
            Components = components,
        };
    }
}
