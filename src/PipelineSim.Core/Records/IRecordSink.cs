namespace PipelineSim.Core.Records;

/// <summary>
/// Where a run's records go as they happen. Streaming (rather than collecting) keeps a million-push run's memory
/// flat; the simulator and the live driver both write to it, and Analysis supplies CSV writers and summaries.
/// Calls arrive from one thread at a time, in non-decreasing time order per record kind. Records are values passed by
/// reference, so a run of millions of pushes allocates none; a sink that keeps one keeps a copy.
/// </summary>
public interface IRecordSink
{
    void OnPush(in PushRecord push);

    void OnAttempt(in AttemptRecord attempt);

    void OnSample(in MetricSample sample);
}
