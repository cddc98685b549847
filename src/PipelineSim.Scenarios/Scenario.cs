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
        var context = new ConfigThenRun(ConfigMetrics, run);
        return Expectations.Select(e => e.Evaluate(context)).ToList();
    }

    private sealed class ConfigThenRun(IReadOnlyDictionary<string, double> config, IExpectContext run) : IExpectContext
    {
        public bool TryGetMetric(string component, string metric, out double value) =>
            config.TryGetValue($"{component}.{metric}", out value) || run.TryGetMetric(component, metric, out value);
    }
}
