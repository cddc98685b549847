using PipelineSim.Core.Options;
using PipelineSim.Core.Retry;
using PipelineSim.Core.Time;
using PipelineSim.Kernel;
using PipelineSim.Model.Http;
using PipelineSim.Model.Net;
using PipelineSim.Model.Recording;
using PipelineSim.Model.Runtime;
using PipelineSim.Spec;

namespace PipelineSim.Model.Components;

/// <summary>
/// A <c>pyroscope.write</c> component as the spec describes it: its endpoints, their targets and metrics. Sources
/// with per-agent writers make one <see cref="WriterInstance"/> per agent from it; everyone else shares one.
/// </summary>
internal sealed class WriterComponent
{
    /// <summary>The streams an HTTP/2 client opens per connection before dialing another (Alloy's http2 default).</summary>
    private const int Http2MaxStreams = 100;

    private readonly World world;
    private readonly IDialTarget[] targets;
    private WriterInstance? shared;

    public WriterComponent(World world, WriterSpec spec, IReadOnlyList<IDialTarget> targets)
    {
        this.world = world;
        Spec = spec;
        this.targets = [.. targets];
        Metrics = new WriterMetrics(spec.Name, [.. spec.Options.Endpoints.Select(e => new EndpointMetrics(spec.Name, e.Url))]);
        Random = world.Random["backoff/" + spec.Name];
    }

    public WriterSpec Spec { get; }

    public string Name => Spec.Name;

    public WriterMetrics Metrics { get; }

    /// <summary>Backoff jitter for every copy of this writer.</summary>
    public RandomStream Random { get; }

    public World World => world;

    /// <summary>The one instance receivers and shared sources push through.</summary>
    public WriterInstance Shared => shared ??= NewInstance();

    public WriterInstance NewInstance()
    {
        var endpoints = new EndpointClient[targets.Length];
        for (int i = 0; i < endpoints.Length; i++)
        {
            var options = Spec.Options.Endpoints[i];
            var metrics = Metrics.Endpoints[i];
            IRequestTransport transport;
            if (options.UsesHttp2)
            {
                transport = new Http2Transport(world, Name, targets[i], options.Transport, Http2MaxStreams);
                metrics.AddWalkedTransport(transport);
            }
            else
            {
                transport = new Http1Transport(world, Name, targets[i], options.Transport, EndpointUrl.IsTls(options.Url), metrics.Tally);
            }
            endpoints[i] = new EndpointClient(this, options, transport, Metrics.Endpoints[i]);
        }
        return new WriterInstance(this, endpoints);
    }
}

/// <summary>One running copy of a writer: its endpoints, each with its own connections.</summary>
internal sealed class WriterInstance
{
    public WriterInstance(WriterComponent component, EndpointClient[] endpoints)
    {
        Component = component;
        Endpoints = endpoints;
    }

    public WriterComponent Component { get; }

    public EndpointClient[] Endpoints { get; }

    /// <summary>
    /// <c>fanOutClient.Push</c>: the payload goes to every endpoint concurrently; the caller hears once all are done.
    /// </summary>
    /// <param name="parent">The caller's context deadline (none for scrape-like sources).</param>
    /// <param name="context">The caller's request context (a receiver's), for cancellation; null for a source.</param>
    public WritePush Push(IPushCaller caller, in Payload payload, Deadline parent, IPushContext? context)
    {
        var push = new WritePush(this, caller, payload, parent, context);
        push.Start();
        return push;
    }
}

/// <summary>One endpoint of one writer copy: its options, its transport and the metrics it reports to.</summary>
internal sealed class EndpointClient
{
    public EndpointClient(WriterComponent writer, WriteEndpointOptions options, IRequestTransport transport, EndpointMetrics metrics)
    {
        Writer = writer;
        Options = options;
        Transport = transport;
        Metrics = metrics;
        Backoff = BackoffConfig.From(options);
    }

    public BackoffConfig Backoff { get; }

    public WriterComponent Writer { get; }

    public WriteEndpointOptions Options { get; }

    public IRequestTransport Transport { get; }

    public EndpointMetrics Metrics { get; }
}
