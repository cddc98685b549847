using PipelineSim.Scenarios;
using PipelineSim.Scenarios.Expect;
using PipelineSim.Spec;

namespace PipelineSim.Analysis.Planning;

/// <summary>
/// A claim SLO (<c>--slo "w2.pushes.failed == 0"</c>) parsed against the scenario's names, measured on each run the
/// way <c>run</c> checks an <c>expect:</c> line (<see cref="SimulationResultMetrics"/>), so both speak one language.
/// </summary>
/// <param name="Kinds">Every component and source name of the scenario with its kind, which tells the metrics where to look.</param>
public sealed record PlanClaim(Expectation Expectation, IReadOnlyDictionary<string, string> Kinds)
{
    /// <summary>
    /// The claim's two sides from a finished run of <paramref name="pipeline"/> (the sweep point's, so config metrics
    /// such as <c>r.conn_limit</c> are the point's); NaN sides when a metric had no value.
    /// </summary>
    public ClaimSides Measure(PipelineSpec pipeline, SimulationResult result, RecordFigures? figures)
    {
        var run = Scenario.ConfigThen(Scenario.ConfigMetricsOf(pipeline), new SimulationResultMetrics(result, Kinds, figures));
        var measure = Expectation.Measure(run);
        return measure is { Left: double left, Right: double right } ? new ClaimSides(left, right) : new ClaimSides(double.NaN, double.NaN);
    }
}
