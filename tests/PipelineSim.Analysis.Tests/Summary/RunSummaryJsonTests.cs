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
        }]) with
        {
            Run = new RunInfo
            {
                Scenario = "small", File = "small.yaml", Mode = "simulated", Seed = 7, Duration = TimeSpan.FromSeconds(90),
                ToolVersion = "1.2.3",
            },
            Backends = [new BackendSummary { Backend = "pyroscope", Requests = 3, Ingested = 2, Rejected = 1, PeakConnections = 1 }],
            Expectations =
            [
                new ExpectationResult
                {
                    Text = "w1.x / w1.y > 0", Path = "expect[0]", Line = 12, Column = 5, Verdict = "failed",
                    Values = new Dictionary<string, double> { ["w1.x"] = 0, ["w1.y"] = double.NaN },
                    Reason = "the expression is not a number (0/0?)",
                },
            ],
        };
    }

    [Fact]
    public void Pins_the_format_snake_case_in_declaration_order_with_seconds()
    {
        const string expected = """
            {
              "run": {
                "scenario": "small",
                "file": "small.yaml",
                "mode": "simulated",
                "seed": 7,
                "duration": 90.000000,
                "time_scale": null,
                "tool_version": "1.2.3"
              },
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
                  "requests_failed": 0,
                  "requests_after_hang_up": 0,
                  "duplicate_forwards": 0
                }
              ],
              "backends": [
                {
                  "backend": "pyroscope",
                  "requests": 3,
                  "ingested": 2,
                  "rejected": 1,
                  "peak_connections": 1
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
              },
              "expectations": [
                {
                  "text": "w1.x / w1.y > 0",
                  "path": "expect[0]",
                  "line": 12,
                  "column": 5,
                  "verdict": "failed",
                  "values": {
                    "w1.x": 0,
                    "w1.y": "NaN"
                  },
                  "reason": "the expression is not a number (0/0?)"
                }
              ]
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
        var read = RunSummaryJson.Read(path);
        Assert.Equal(16, read.Receivers[0].ConnLimit);
        Assert.Equal(("small", 7UL), (read.Run!.Scenario, read.Run.Seed));
        Assert.True(double.IsNaN(read.Expectations[0].Values["w1.y"]));
    }

    [Fact]
    public void A_time_that_is_not_a_number_of_seconds_is_rejected()
    {
        var json = Encoding.UTF8.GetString(RunSummaryJson.ToUtf8Bytes(Small())).Replace("\"end\": 1.250000", "\"end\": \"soon\"");
        Assert.Throws<JsonException>(() => RunSummaryJson.Parse(Encoding.UTF8.GetBytes(json)));
    }
}
