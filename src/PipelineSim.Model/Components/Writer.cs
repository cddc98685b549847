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
        Endpoints = new EndpointClient[this.targets.Length];
        for (int i = 0; i < Endpoints.Length; i++) Endpoints[i] = new EndpointClient(this, spec.Options.Endpoints[i], Metrics.Endpoints[i]);
    }

    public WriterSpec Spec { get; }

    public string Name => Spec.Name;

    public WriterMetrics Metrics { get; }

    /// <summary>Backoff jitter for every copy of this writer.</summary>
    public RandomStream Random { get; }

    public World World => world;

    /// <summary>
    /// The endpoints' configuration, shared by every copy of this writer: a per-agent writer at 100,000 agents would
    /// otherwise carry 100,000 copies of it, and every push would follow one more pointer to a cold one.
    /// </summary>
    public EndpointClient[] Endpoints { get; }

    /// <summary>The one instance receivers and shared sources push through.</summary>
    public WriterInstance Shared => shared ??= NewInstance();

    public WriterInstance NewInstance()
    {
        var transports = new IRequestTransport[targets.Length];
        for (int i = 0; i < transports.Length; i++)
        {
            var options = Spec.Options.Endpoints[i];
            var metrics = Metrics.Endpoints[i];
            if (options.UsesHttp2)
            {
                transports[i] = new Http2Transport(world, Name, targets[i], options.Transport, Http2MaxStreams);
                metrics.AddWalkedTransport(transports[i]);
            }
            else
            {
                transports[i] = new Http1Transport(world, Name, targets[i], options.Transport, EndpointUrl.IsTls(options.Url), metrics.Tally);
            }
        }
        return new WriterInstance(this, transports);
    }
}

/// <summary>One running copy of a writer: its own connections to each endpoint (one transport per endpoint).</summary>
internal sealed class WriterInstance
{
    public WriterInstance(WriterComponent component, IRequestTransport[] transports)
    {
        Component = component;
        Transports = transports;
    }

    public WriterComponent Component { get; }

    /// <summary>The connections of this copy to endpoint i of <see cref="WriterComponent.Endpoints"/>.</summary>
    public IRequestTransport[] Transports { get; }

    /// <summary>
    /// <c>fanOutClient.Push</c>: the payload goes to every endpoint concurrently; the caller hears once all are done.
    /// </summary>
    /// <param name="parent">The caller's context deadline (none for scrape-like sources).</param>
    /// <param name="context">The caller's request context (a receiver's), for cancellation; null for a source.</param>
    public WritePush Push(IPushCaller caller, in Payload payload, Deadline parent, IPushContext? context)
    {
        WritePush push = Transports.Length == 1
            ? new EndpointPush(this, caller, payload, parent, context)
            : new FanOutPush(this, caller, payload, parent, context);
        push.Start();
        return push;
    }
}

/// <summary>One endpoint of a writer, as every copy of the writer shares it: its options and the metrics it reports to.</summary>
internal sealed class EndpointClient
{
    public EndpointClient(WriterComponent writer, WriteEndpointOptions options, EndpointMetrics metrics)
    {
        Writer = writer;
        Options = options;
        Metrics = metrics;
        Backoff = BackoffConfig.From(options);
    }

    public BackoffConfig Backoff { get; }

    public WriterComponent Writer { get; }

    public WriteEndpointOptions Options { get; }

    public EndpointMetrics Metrics { get; }
}
