namespace PipelineSim.Core.Records;

/// <summary>
/// What one push adds to a <c>pyroscope.write</c> endpoint's counters: a delivered push its bytes and profiles to
/// <c>pyroscope_write_sent_*</c>, a failed one to <c>pyroscope_write_dropped_*</c>, a push still running when the run
/// ends to neither.
/// </summary>
public readonly record struct WriteTally(long SentBytes, long SentProfiles, long DroppedBytes, long DroppedProfiles)
{
    public static WriteTally Of(PushResult result, int profiles, long bytes) => result switch
    {
        PushResult.Delivered => new WriteTally(bytes, profiles, 0, 0),
        PushResult.Failed => new WriteTally(0, 0, bytes, profiles),
        _ => default,
    };
}
