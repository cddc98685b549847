using PipelineSim.Spec;

namespace PipelineSim.Cli.Running;

/// <summary>The ways a run of a valid file can still fail that a user should see as one line each, never a stack trace.</summary>
internal static class RunFailure
{
    public static bool IsExpected(Exception e) => e is SpecException or IOException or UnauthorizedAccessException;

    /// <summary>Writes the problem lines and returns the usage-error exit code.</summary>
    public static int Report(Exception e, string file, string outputDirectory, TextWriter errors)
    {
        if (e is SpecException spec)
        {
            foreach (var problem in spec.Problems) errors.WriteLine($"{file}: {problem}");
        }
        else
        {
            // RunOutputs removed the run's files before the exception got here, whenever it was thrown.
            var failure = e as RunOutputException ?? new RunOutputException(outputDirectory, e);
            errors.WriteLine($"pipelinesim: {PrintableText.Escape(failure.Message)}");
        }
        return PipelineSimApp.UsageError;
    }

    /// <summary>A run stopped by a signal: its outputs removed their partial files on the way out (RunOutputs).</summary>
    public static int Stopped(string outputDirectory, TextWriter errors)
    {
        errors.WriteLine($"pipelinesim: stopped before the end; no results written to {outputDirectory} (partial files removed)");
        return PipelineSimApp.Stopped;
    }
}
