using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Tests.Records;

public class TeeRecordSinkTests
{
    private sealed class Log(string name, List<string> entries) : IRecordSink
    {
        public void OnPush(in PushRecord push) => entries.Add($"{name}:push:{push.PushId}");

        public void OnAttempt(in AttemptRecord attempt) => entries.Add($"{name}:attempt:{attempt.PushId}/{attempt.Number}");

        public void OnSample(in MetricSample sample) => entries.Add($"{name}:sample:{sample.Name}={sample.Value}");
    }

    [Fact]
    public void Hands_every_record_to_every_sink_in_order()
    {
        var entries = new List<string>();
        var tee = new TeeRecordSink(new Log("a", entries), new Log("b", entries));

        tee.OnAttempt(new AttemptRecord
        {
            PushId = 7, Number = 1, Writer = "w", Endpoint = "http://r", Start = Instant.Zero, End = Instant.FromSeconds(1),
            Deadline = Deadline.None, Code = ConnectCode.Ok,
        });
        tee.OnPush(new PushRecord
        {
            PushId = 7, Source = "s", Writer = "w", Endpoint = "http://r", Start = Instant.Zero, End = Instant.FromSeconds(1),
            Attempts = 1, Result = PushResult.Delivered,
        });
        tee.OnSample(new MetricSample(Instant.Zero, "m", "", 3));

        Assert.Equal(["a:attempt:7/1", "b:attempt:7/1", "a:push:7", "b:push:7", "a:sample:m=3", "b:sample:m=3"], entries);
    }
}
