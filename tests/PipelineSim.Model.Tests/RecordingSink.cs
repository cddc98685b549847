using PipelineSim.Core.Records;

namespace PipelineSim.Model.Tests;

/// <summary>Keeps every record a run streams, for assertions.</summary>
internal sealed class RecordingSink : IRecordSink
{
    public List<PushRecord> Pushes { get; } = [];

    public List<AttemptRecord> Attempts { get; } = [];

    public List<MetricSample> Samples { get; } = [];

    public void OnPush(in PushRecord push) => Pushes.Add(push);

    public void OnAttempt(in AttemptRecord attempt) => Attempts.Add(attempt);

    public void OnSample(in MetricSample sample) => Samples.Add(sample);

    public IEnumerable<PushRecord> PushesOf(string writer) => Pushes.Where(p => p.Writer == writer);

    public IEnumerable<AttemptRecord> AttemptsOf(string writer) => Attempts.Where(a => a.Writer == writer);

    public IEnumerable<MetricSample> Series(string name, string labels) => Samples.Where(s => s.Name == name && s.Labels == labels);
}
