using PipelineSim.Core.Time;

namespace PipelineSim.Core.Retry;

public enum PushStepKind
{
    /// <summary>Send attempt <see cref="PushStep.AttemptNumber"/>; it fails with deadline_exceeded at <see cref="PushStep.AttemptDeadline"/>.</summary>
    Attempt,

    /// <summary>Back off until <see cref="PushStep.SleepUntil"/>, then call <see cref="PushLoop.Next"/>.</summary>
    Sleep,

    /// <summary>The loop is over; <see cref="PushLoop.Delivered"/> says how it ended.</summary>
    Done,
}

/// <summary>
/// What a <see cref="PushLoop"/> asks its driver to do next. A struct: the simulator makes millions.
/// <see cref="AttemptNumber"/> is the attempt to run (Attempt) or the attempts made so far (Sleep, Done).
/// </summary>
public readonly record struct PushStep(PushStepKind Kind, int AttemptNumber, Deadline AttemptDeadline, Instant SleepUntil)
{
    /// <summary>An attempt after the first: when <c>pyroscope_write_retries_total</c> rises.</summary>
    public bool IsRetry => Kind == PushStepKind.Attempt && AttemptNumber > 1;

    public static PushStep Attempt(int number, Deadline deadline) => new(PushStepKind.Attempt, number, deadline, default);

    public static PushStep Sleep(int attemptsSoFar, Instant until) => new(PushStepKind.Sleep, attemptsSoFar, Deadline.None, until);

    public static PushStep Done(int attempts) => new(PushStepKind.Done, attempts, Deadline.None, default);
}
