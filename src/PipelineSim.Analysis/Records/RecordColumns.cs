using PipelineSim.Core.Records;

namespace PipelineSim.Analysis.Records;

/// <summary>
/// The columns of the record files, in their fixed order: the writer emits exactly these headers and the reader
/// accepts nothing else. Times are seconds since the run started (<c>_s</c>), six decimals.
/// </summary>
internal static class RecordColumns
{
    public static readonly string[] Pushes =
    [
        "push_id", "parent_push_id", "source", "writer", "endpoint", "start_s", "end_s", "latency_s",
        "parent_deadline_s", "attempts", "result", "code", "profiles", "bytes", "error",
    ];

    public static readonly string[] Attempts =
    [
        "push_id", "attempt", "writer", "endpoint", "start_s", "end_s", "latency_s", "deadline_s", "connection_id",
        "reused", "idle_before_s", "backlog_wait_s", "code", "error",
    ];

    public static readonly string[] Metrics = ["time_s", "name", "labels", "value"];

    private static readonly string[] ResultNames = ["delivered", "failed", "in_flight"];

    /// <summary>The CSV text of a push result: <c>delivered</c>, <c>failed</c>, <c>in_flight</c>.</summary>
    public static string ResultName(PushResult result) => ResultNames[(int)result];

    public static bool TryParseResult(string? text, out PushResult result)
    {
        int index = Array.IndexOf(ResultNames, text);
        result = index >= 0 ? (PushResult)index : default;
        return index >= 0;
    }
}
