using PipelineSim.Core.Options;

namespace PipelineSim.Spec;

/// <summary>
/// A <c>pyroscope.write</c> component. Each endpoint's URL names the component it talks to (see
/// <see cref="EndpointUrl"/>); <c>https://</c> with enable_http2 runs HTTP/2, anything else HTTP/1.1.
/// </summary>
public sealed record WriterSpec : ComponentSpec
{
    public WriteOptions Options { get; init; } = new();
}
