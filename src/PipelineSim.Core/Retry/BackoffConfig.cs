using PipelineSim.Core.Options;

namespace PipelineSim.Core.Retry;

/// <summary>dskit <c>backoff.Config</c>. <see cref="MaxRetries"/> is the total number of attempts; 0 means no limit.</summary>
public sealed record BackoffConfig(TimeSpan MinBackoff, TimeSpan MaxBackoff, int MaxRetries)
{
    /// <summary>The config <c>pyroscope.write</c> builds for one endpoint.</summary>
    public static BackoffConfig From(WriteEndpointOptions o) => new(o.MinBackoffPeriod, o.MaxBackoffPeriod, o.MaxBackoffRetries);
}
