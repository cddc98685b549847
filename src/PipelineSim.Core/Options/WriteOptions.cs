namespace PipelineSim.Core.Options;

/// <summary>
/// The arguments of one <c>pyroscope.write</c> component (write.go <c>Arguments</c>). Every push is fanned out to all
/// <see cref="Endpoints"/> concurrently and fails if any endpoint fails.
/// </summary>
public sealed record WriteOptions
{
    public IReadOnlyList<WriteEndpointOptions> Endpoints { get; init; } = [];

    /// <summary>Set on every series after <c>__</c>-prefixed labels are dropped, overriding incoming labels of the same name.</summary>
    public IReadOnlyDictionary<string, string> ExternalLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>The <c>tracing</c> block (v1.11.0+, undocumented): Jaeger header propagation.</summary>
    public bool JaegerPropagator { get; init; } = true;

    /// <summary>The <c>tracing</c> block: W3C trace-context header propagation.</summary>
    public bool TraceContextPropagator { get; init; } = true;
}
