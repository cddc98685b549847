using PipelineSim.Analysis.Records;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Cli.Tests;

/// <summary>A few records of a run: w1 → r delivers three pushes and loses one to deadline_exceeded after 2 attempts.</summary>
internal static class RunRecords
{
    public static IEnumerable<PushRecord> Pushes()
    {
        for (int i = 0; i < 3; i++) yield return Push(i + 1, i, 0.5 + i * 0.25, 1, PushResult.Delivered, ConnectCode.Ok);
        yield return Push(4, 4, 20, 2, PushResult.Failed, ConnectCode.DeadlineExceeded);
    }

    public static void WriteTo(string directory)
    {
        using var sink = new CsvRecordSink(directory);
        foreach (var push in Pushes())
        {
            for (int n = 1; n <= push.Attempts; n++)
            {
                sink.OnAttempt(new AttemptRecord
                {
                    PushId = push.PushId, Number = n, Writer = push.Writer, Endpoint = push.Endpoint,
                    Start = push.Start, End = push.End, Deadline = Deadline.None, Code = push.Code,
                });
            }
            sink.OnPush(push);
        }
        foreach (int s in Enumerable.Range(0, 30))
            sink.OnSample(new MetricSample(Instant.FromSeconds(s), MetricNames.ReceiveTcpConnections, "component_id=\"r\"", Math.Min(s, 8)));
        sink.Complete();
    }

    private static PushRecord Push(long id, double start, double seconds, int attempts, PushResult result, ConnectCode code) => new()
    {
        PushId = id, Source = "agents", Writer = "w1", Endpoint = "http://r:4040", Start = Instant.FromSeconds(start),
        End = Instant.FromSeconds(start + seconds), Attempts = attempts, Result = result, Code = code, Profiles = 4,
    };
}
