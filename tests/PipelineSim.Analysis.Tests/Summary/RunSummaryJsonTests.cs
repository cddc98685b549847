using System.Text;
using System.Text.Json;
using PipelineSim.Analysis.Summary;
using PipelineSim.Core.Records;

namespace PipelineSim.Analysis.Tests.Summary;

public class RunSummaryJsonTests
{
    private static RunSummary Small()
    {
        var run = new SyntheticRun();
        run.AddPush("w1", "http://r:4040", 1, 0.25, PushResult.Delivered, profiles: 2);
        var builder = new RunSummaryBuilder();
        run.Replay(builder);
        return builder.Build([new ReceiverStats
        {
            Receiver = "r", ConnLimit = 16, PeakAcceptedConnections = 1, PeakAcceptBacklog = 0, SynDrops = 0,
            TimeAtLimit = TimeSpan.FromMilliseconds(1500),
        }]);
    }

    [Fact]
    public void Pins_the_format_snake_case_in_declaration_order_with_seconds()
    {
        const string expected = """
            {
              "end": 1.250000,
              "endpoints": [
                {
                  "writer": "w1",
                  "endpoint": "http://r:4040",
                  "pushes": 1,
                  "delivered": 1,
                  "failed": 0,
                  "failed_by_code": {},
                  "in_flight": 0,
                  "attempts": [
                    {
                      "attempts": 1,
                      "pushes": 1
                    }
                  ],
                  "retries": 0,
                  "attempts_by_code": {
                    "ok": 1
                  },
                  "latency": {
                    "count": 1,
                    "mean": 0.250000,
                    "p50": 0.250000,
                    "p90": 0.250000,
                    "p99": 0.250000,
                    "max": 0.250000
                  },
                  "profiles": {
                    "created": 2,
                    "delivered": 2,
                    "dropped_by_code": {},
                    "in_flight": 0,
                    "dropped": 0,
                    "unaccounted": 0,
                    "holds": true
                  }
                }
              ],
              "receivers": [
                {
                  "receiver": "r",
                  "conn_limit": 16,
                  "peak_accepted_connections": 1,
                  "mean_accepted_connections": 0,
                  "time_at_limit": 1.500000,
                  "accept_backlog_capacity": 0,
                  "peak_accept_backlog": 0,
                  "syn_drops": 0,
                  "connections_accepted": 0,
                  "requests_handled": 0,
                  "requests_failed": 0
                }
              ],
              "conservation": {
                "created": 2,
                "delivered": 2,
                "dropped_by_code": {},
                "in_flight": 0,
                "dropped": 0,
                "unaccounted": 0,
                "holds": true
              }
            }

            """;
        Assert.Equal(expected, Encoding.UTF8.GetString(RunSummaryJson.ToUtf8Bytes(Small())));
    }

    [Fact]
    public void Reading_and_writing_again_gives_the_same_bytes()
    {
        var builder = new RunSummaryBuilder();
        SyntheticRun.Standard().Replay(builder);
        byte[] first = RunSummaryJson.ToUtf8Bytes(builder.Build());
        var read = RunSummaryJson.Parse(first);
        Assert.Equal(first, RunSummaryJson.ToUtf8Bytes(read));
        Assert.Equal(TimeSpan.FromSeconds(5), read.Endpoints[0].Latency!.P50);
    }

    [Fact]
    public void Write_puts_the_file_in_place_atomically()
    {
        using var dir = new TempDirectory();
        string path = dir.File("summary.json");
        RunSummaryJson.Write(path, Small());
        Assert.Equal(RunSummaryJson.ToUtf8Bytes(Small()), File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir.Path));
        Assert.Equal(16, RunSummaryJson.Read(path).Receivers[0].ConnLimit);
    }

    [Fact]
    public void A_time_that_is_not_a_number_of_seconds_is_rejected()
    {
        var json = Encoding.UTF8.GetString(RunSummaryJson.ToUtf8Bytes(Small())).Replace("\"end\": 1.250000", "\"end\": \"soon\"");
        Assert.Throws<JsonException>(() => RunSummaryJson.Parse(Encoding.UTF8.GetBytes(json)));
    }
}
