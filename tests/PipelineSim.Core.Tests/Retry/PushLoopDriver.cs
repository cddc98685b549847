using PipelineSim.Core.Connect;
using PipelineSim.Core.Retry;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Tests.Retry;

/// <summary>What one attempt did in a test: when it ended and with what error (null = success).</summary>
internal readonly record struct AttemptOutcome(Instant End, ConnectError? Error);

/// <summary>A minimal driver: runs a loop to the end, each attempt answered by a script, sleeps taken in full.</summary>
internal static class PushLoopDriver
{
    public static List<PushStep> Run(PushLoop loop, Instant start, Func<PushStep, Instant, AttemptOutcome> attempt, int maxSteps = 10_000)
    {
        var steps = new List<PushStep>();
        var step = loop.Next(start);
        var now = start;
        while (step.Kind != PushStepKind.Done)
        {
            if (steps.Count > maxSteps) throw new InvalidOperationException("The loop did not end.");
            steps.Add(step);
            if (step.Kind == PushStepKind.Attempt)
            {
                var outcome = attempt(step, now);
                now = outcome.End;
                step = loop.OnAttemptCompleted(now, outcome.Error);
            }
            else
            {
                now = step.SleepUntil;
                step = loop.Next(now);
            }
        }
        steps.Add(step);
        return steps;
    }

    /// <summary>A request on a silently dead connection: no answer, so it fails at its deadline.</summary>
    public static AttemptOutcome Hang(PushStep step, Instant now) => new(step.AttemptDeadline.When, ConnectError.DeadlineExceeded);

    public static Func<PushStep, Instant, AttemptOutcome> FailAfter(TimeSpan latency, ConnectError error) =>
        (_, now) => new(now + latency, error);
}
