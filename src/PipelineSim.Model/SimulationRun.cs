using PipelineSim.Core.Records;
using PipelineSim.Model.Runtime;
using PipelineSim.Spec;

namespace PipelineSim.Model;

/// <summary>The model's entry point: runs a pipeline spec in virtual time, streaming its records to a sink.</summary>
public static class SimulationRun
{
    /// <summary>
    /// Validates <paramref name="spec"/> (a <see cref="SpecException"/> lists every problem), runs it to its end
    /// and checks the profile books (a <see cref="ConservationException"/> is a model bug). The same spec and seed
    /// give the same record stream, record for record.
    /// </summary>
    public static SimulationResult Execute(PipelineSpec spec, IRecordSink sink, RunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(sink);
        options ??= new RunOptions();
        var problems = SpecValidator.Validate(spec);
        if (problems.Count > 0) throw new SpecException(problems);
        if (options.Duration is TimeSpan d && d <= TimeSpan.Zero)
            throw new SpecException([new SpecProblem("duration", "must be positive")]);

        ulong seed = options.Seed ?? spec.Seed;
        var model = new PipelineModel(spec, seed, options.Duration ?? spec.Duration, sink);
        model.Run(options.Progress, options.Cancellation);
        return model.Result(seed);
    }
}
