using PipelineSim.Spec;
using PipelineSim.Scenarios.Expect;

namespace PipelineSim.Scenarios;

/// <summary>
/// A loaded, valid scenario: the fully resolved <see cref="Pipeline"/> for the model (every default applied) and the
/// <see cref="Expectations"/> to check once it has run.
/// </summary>
public sealed record Scenario
{
    /// <summary>The file it was read from, as given to the loader (used in messages).</summary>
    public required string File { get; init; }

    public string? Description { get; init; }

    public required PipelineSpec Pipeline { get; init; }

    public IReadOnlyList<Expectation> Expectations { get; init; } = [];

    /// <summary>Every source and component name with its kind (<c>source</c>, <c>pyroscope.write</c>, ...).</summary>
    public required IReadOnlyDictionary<string, string> Kinds { get; init; }

    /// <summary>The config metrics assertions may use (<c>r.conn_limit</c>), keyed by <c>component.metric</c>.</summary>
    public required IReadOnlyDictionary<string, double> ConfigMetrics { get; init; }

    /// <summary>Checks every assertion against a finished run; config metrics are answered from the scenario.</summary>
    public IReadOnlyList<ExpectOutcome> CheckExpectations(IExpectContext run)
    {
        var context = ConfigThen(ConfigMetrics, run);
        return Expectations.Select(e => e.Evaluate(context)).ToList();
    }

    /// <summary>A run's metrics with the config metrics answered first, from <paramref name="config"/>.</summary>
    public static IExpectContext ConfigThen(IReadOnlyDictionary<string, double> config, IExpectContext run) => new ConfigThenRun(config, run);

    /// <summary>
    /// The config metrics of a pipeline (<c>agents.count</c>, <c>w1.endpoints</c>, <c>r.conn_limit</c>,
    /// <c>pyroscope.concurrency</c>): what <see cref="ConfigMetrics"/> holds for the file's own pipeline, and what a
    /// planner asks of each pipeline it changes.
    /// </summary>
    public static IReadOnlyDictionary<string, double> ConfigMetricsOf(PipelineSpec pipeline)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var source in pipeline.Sources) metrics[$"{source.Name}.count"] = source.Count;
        foreach (var component in pipeline.Components)
        {
            switch (component)
            {
                case WriterSpec writer:
                    metrics[$"{writer.Name}.endpoints"] = writer.Options.Endpoints.Count;
                    break;
                case ReceiverSpec receiver:
                    metrics[$"{receiver.Name}.conn_limit"] = receiver.Http.ConnLimit;
                    break;
                case BackendSpec backend:
                    metrics[$"{backend.Name}.concurrency"] = backend.Concurrency;
                    break;
            }
        }
        return metrics;
    }

    private sealed class ConfigThenRun(IReadOnlyDictionary<string, double> config, IExpectContext run) : IExpectContext
    {
        public bool TryGetMetric(string component, string metric, out double value) =>
            config.TryGetValue($"{component}.{metric}", out value) || run.TryGetMetric(component, metric, out value);
    }
}
