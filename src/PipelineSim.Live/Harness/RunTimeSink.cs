using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Live.Harness;

/// <summary>
/// Rebases every record's instants on the start of the run, so a live run's records read like a simulated run's:
/// time 0 is when the agents start, not when the clock was created during setup. While the run tears down, records
/// are held and then written in end-time order: in-flight pushes end at the run's end however late their loops
/// noticed the stop, and a push that finished just after it must not be written before them.
/// </summary>
internal sealed class RunTimeSink(IRecordSink inner) : IRecordSink
{
    private List<PushRecord>? heldPushes;
    private List<AttemptRecord>? heldAttempts;

    public Instant Origin { get; set; }

    public void OnPush(in PushRecord push)
    {
        var shifted = push with { Start = Shift(push.Start), End = Shift(push.End), ParentDeadline = Shift(push.ParentDeadline) };
        if (heldPushes is not null) heldPushes.Add(shifted);
        else inner.OnPush(shifted);
    }

    public void OnAttempt(in AttemptRecord attempt)
    {
        var shifted = attempt with { Start = Shift(attempt.Start), End = Shift(attempt.End), Deadline = Shift(attempt.Deadline) };
        if (heldAttempts is not null) heldAttempts.Add(shifted);
        else inner.OnAttempt(shifted);
    }

    /// <summary>From now on records are held (the caller serialises this with the records, under the context's lock).</summary>
    public void BeginTeardown()
    {
        heldPushes = [];
        heldAttempts = [];
    }

    /// <summary>Writes the held records in end-time order (stable, so equal ends keep their arrival order).</summary>
    public void EndTeardown()
    {
        var (pushes, attempts) = (heldPushes ?? [], heldAttempts ?? []);
        heldPushes = null;
        heldAttempts = null;
        foreach (var push in pushes.OrderBy(p => p.End)) inner.OnPush(push);
        foreach (var attempt in attempts.OrderBy(a => a.End)) inner.OnAttempt(attempt);
    }

    public void OnSample(in MetricSample sample) => inner.OnSample(sample with { Time = Shift(sample.Time) });

    private Instant Shift(Instant at) => at - Origin.SinceStart;

    private Deadline Shift(Deadline deadline) => deadline.HasValue ? Deadline.At(Shift(deadline.When)) : deadline;
}
