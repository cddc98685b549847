namespace PipelineSim.Core.Records;

/// <summary>
/// Hands every record to several sinks in order, so one run can stream to CSV files and a summary at once.
/// </summary>
public sealed class TeeRecordSink : IRecordSink
{
    private readonly IRecordSink[] sinks;

    public TeeRecordSink(params IRecordSink[] sinks)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        this.sinks = [.. sinks];
    }

    public void OnPush(in PushRecord push)
    {
        foreach (var sink in sinks) sink.OnPush(push);
    }

    public void OnAttempt(in AttemptRecord attempt)
    {
        foreach (var sink in sinks) sink.OnAttempt(attempt);
    }

    public void OnSample(in MetricSample sample)
    {
        foreach (var sink in sinks) sink.OnSample(sample);
    }
}
