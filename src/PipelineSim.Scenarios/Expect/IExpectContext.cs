namespace PipelineSim.Scenarios.Expect;

/// <summary>
/// What a finished run knows, as <c>expect:</c> asks for it: the value of one metric of one component or source, in
/// the unit <see cref="MetricCatalog"/> lists (time in seconds, sizes in bytes). The run implements this over its
/// records; config metrics (<c>r.conn_limit</c>) never reach it, the scenario answers those itself.
/// </summary>
public interface IExpectContext
{
    /// <param name="component">A component or source name, as written in the scenario (<c>w1</c>).</param>
    /// <param name="metric">The dotted path after it (<c>pushes.failed</c>, <c>latency.p99</c>).</param>
    /// <returns>False when the run has no value for it (reported as a failed assertion, never thrown).</returns>
    bool TryGetMetric(string component, string metric, out double value);
}
