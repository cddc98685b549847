using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Live.Harness;

/// <summary>
/// Rebases every record's instants on the start of the run, so a live run's records read like a simulated run's:
/// time 0 is when the agents start, not when the clock was created during setup.
/// </summary>
internal sealed class RunTimeSink(IRecordSink inner) : IRecordSink
{
    public Instant Origin { get; set; }

    public void OnPush(PushRecord push) => inner.OnPush(push with
    {
        Start = Shift(push.Start),
        End = Shift(push.End),
        ParentDeadline = Shift(push.ParentDeadline),
    });

    public void OnAttempt(AttemptRecord attempt) => inner.OnAttempt(attempt with
    {
        Start = Shift(attempt.Start),
        End = Shift(attempt.End),
        Deadline = Shift(attempt.Deadline),
    });

    public void OnSample(in MetricSample sample) => inner.OnSample(sample with { Time = Shift(sample.Time) });

    private Instant Shift(Instant at) => at - Origin.SinceStart;

    private Deadline Shift(Deadline deadline) => deadline.HasValue ? Deadline.At(Shift(deadline.When)) : deadline;
}
