using PipelineSim.Core.Options;

namespace PipelineSim.Spec;

/// <summary>
/// A <c>pyroscope.write</c> component. Each endpoint's URL names the component it talks to (see
/// <see cref="EndpointUrl"/>); <c>https://</c> with enable_http2 runs HTTP/2, anything else HTTP/1.1.
/// </summary>
public sealed record WriterSpec : ComponentSpec
{
    /// <summary>The component's arguments, with Alloy's defaults (Core's <see cref="WriteOptions"/>); the live writer takes them as they are.</summary>
    public WriteOptions Options { get; init; } = new();

    /// <summary>
    /// Checks every value once, for the simulator and the live writer alike; paths are relative to the writer
    /// (<c>endpoints[0].remote_timeout</c>), one problem each. Whether an endpoint's URL names a server is the
    /// topology's question.
    /// </summary>
    public IReadOnlyList<SpecProblem> Validate()
    {
        var problems = new List<SpecProblem>();
        void Problem(string path, string message) => problems.Add(new SpecProblem(path, message));
        var endpoints = Options.Endpoints;
        if (endpoints.Count == 0) Problem("endpoints", "needs at least one endpoint");
        for (int i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[i];
            string at = $"endpoints[{i}]";
            // Zero is what Alloy accepts too: every attempt's context is done before it is sent (deadline_exceeded).
            if (endpoint.RemoteTimeout < TimeSpan.Zero) Problem(at + ".remote_timeout", "must not be negative");
            if (endpoint.MinBackoffPeriod < TimeSpan.Zero) Problem(at + ".min_backoff_period", "must not be negative");
            if (endpoint.MaxBackoffPeriod < TimeSpan.Zero) Problem(at + ".max_backoff_period", "must not be negative");
            if (endpoint.MaxBackoffRetries < 0) Problem(at + ".max_backoff_retries", "must not be negative (0 retries for ever)");
            if (endpoint.DebugInfoUploadTimeout < TimeSpan.Zero) Problem(at + ".debug_info_upload_timeout", "must not be negative");
            // The transport settings sit in the endpoint's transport block, as in the scenario file.
            var transport = endpoint.Transport;
            if (transport.IdleConnTimeout < TimeSpan.Zero) Problem(at + ".transport.idle_conn_timeout", "must not be negative");
            if (transport.KeepAlive.Enabled && (transport.KeepAlive.Idle <= TimeSpan.Zero || transport.KeepAlive.Interval <= TimeSpan.Zero))
                Problem(at + ".transport.keep_alive", "idle and interval must be positive");
            if (transport.Http2ReadIdleTimeout <= TimeSpan.Zero && endpoint.UsesHttp2)
                Problem(at + ".transport.http2_read_idle_timeout", "must be positive");
        }
        return problems;
    }
}
