using PipelineSim.Core.Records;

namespace PipelineSim.Model.Recording;

/// <summary>The run's record stream: pushes, attempts and samples go to the caller's sink as they happen.</summary>
internal sealed class Recorder
{
    private readonly IRecordSink sink;

    public Recorder(IRecordSink sink)
    {
        this.sink = sink;
    }

    public long PushesRecorded { get; private set; }

    public long AttemptsRecorded { get; private set; }

    public void Push(in PushRecord record)
    {
        PushesRecorded++;
        sink.OnPush(record);
    }

    public void Attempt(in AttemptRecord record)
    {
        AttemptsRecorded++;
        sink.OnAttempt(record);
    }

    public void Sample(in MetricSample sample) => sink.OnSample(sample);
}
