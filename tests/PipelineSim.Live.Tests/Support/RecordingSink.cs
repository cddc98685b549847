using PipelineSim.Core.Records;

namespace PipelineSim.Live.Tests.Support;

/// <summary>Keeps every record in memory, checking the sink contract (time order per kind) as it goes.</summary>
internal sealed class RecordingSink : IRecordSink
{
    private readonly object gate = new();
    private readonly List<PushRecord> pushes = [];
    private readonly List<AttemptRecord> attempts = [];
    private readonly List<MetricSample> samples = [];

    public List<PushRecord> Pushes
    {
        get { lock (gate) return [.. pushes]; }
    }

    public List<AttemptRecord> Attempts
    {
        get { lock (gate) return [.. attempts]; }
    }

    public List<MetricSample> Samples
    {
        get { lock (gate) return [.. samples]; }
    }

    public void OnPush(in PushRecord push)
    {
        lock (gate)
        {
            if (pushes.Count > 0) Assert.True(push.End >= pushes[^1].End, "push records out of time order");
            pushes.Add(push);
        }
    }

    public void OnAttempt(in AttemptRecord attempt)
    {
        lock (gate)
        {
            if (attempts.Count > 0) Assert.True(attempt.End >= attempts[^1].End, "attempt records out of time order");
            attempts.Add(attempt);
        }
    }

    public void OnSample(in MetricSample sample)
    {
        lock (gate) samples.Add(sample);
    }

    /// <summary>Every attempt, one line each: the story to print when an assertion about a run fails.</summary>
    public string Story() => string.Join("\n", Attempts.Select(a =>
        $"{a.Writer} push {a.PushId} #{a.Number} {a.Start}-{a.End} conn {a.ConnectionId} reused {a.Reused} {a.Code}"));

    public List<AttemptRecord> AttemptsOf(long pushId) => Attempts.Where(a => a.PushId == pushId).OrderBy(a => a.Number).ToList();
}
