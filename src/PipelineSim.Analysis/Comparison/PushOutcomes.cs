using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Comparison;

/// <summary>What a comparison keeps of one push record: where, for which agent, when, how it ended, after how many attempts.</summary>
public readonly record struct PushOutcome(
    string Writer, string Endpoint, string Source, Instant Start, PushResult Result, ConnectCode Code, int Attempts, TimeSpan Latency)
{
    public static PushOutcome Of(PushRecord push) =>
        new(push.Writer, push.Endpoint, push.Source, push.Start, push.Result, push.Code, push.Attempts, push.Latency);
}

/// <summary>A sink that keeps every push's <see cref="PushOutcome"/> (attempts and samples pass it by): one run's side of a comparison.</summary>
public sealed class PushOutcomes : IRecordSink
{
    private readonly object gate = new();
    private readonly List<PushOutcome> pushes = [];

    public IReadOnlyList<PushOutcome> Pushes
    {
        get
        {
            lock (gate) return [.. pushes];
        }
    }

    public void OnPush(in PushRecord push)
    {
        lock (gate) pushes.Add(PushOutcome.Of(push));
    }

    public void OnAttempt(in AttemptRecord attempt)
    {
    }

    public void OnSample(in MetricSample sample)
    {
    }
}
