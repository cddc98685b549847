using PipelineSim.Analysis.Records;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Tests.Records;

public class CsvRecordSinkTests
{
    [Fact]
    public void Writes_the_fixed_headers_and_rows_in_seconds_and_wire_names()
    {
        using var dir = new TempDirectory();
        var run = new SyntheticRun();
        run.AddPush(SyntheticRun.W1, SyntheticRun.R, startSeconds: 1.25, attemptSeconds: 10, PushResult.Failed, ConnectCode.DeadlineExceeded,
            attempts: 2, profiles: 4, error: "x, \"y\"");
        run.AddSample(2, MetricNames.ReceiveTcpConnections, "r", 0.1 + 0.2);
        run.WriteCsv(dir.Path);

        string[] pushes = File.ReadAllLines(dir.File(RunFiles.Pushes));
        Assert.Equal(
            "push_id,parent_push_id,source,writer,endpoint,start_s,end_s,latency_s,parent_deadline_s,attempts,result,code,profiles,bytes,error",
            pushes[0]);
        Assert.Equal("1,,agents-1,w1,http://r:4040,1.250000,21.250000,20.000000,,2,failed,deadline_exceeded,4,240000,\"x, \"\"y\"\"\"", pushes[1]);

        string[] attempts = File.ReadAllLines(dir.File(RunFiles.Attempts));
        Assert.Equal("push_id,attempt,writer,endpoint,start_s,end_s,latency_s,deadline_s,connection_id,reused,idle_before_s,backlog_wait_s,code,error", attempts[0]);
        Assert.Equal("1,1,w1,http://r:4040,1.250000,11.250000,10.000000,11.250000,11,false,0.000000,1.500000,deadline_exceeded,\"x, \"\"y\"\"\"", attempts[1]);
        Assert.Equal("1,2,w1,http://r:4040,11.250000,21.250000,10.000000,21.250000,12,true,0.250000,0.000000,deadline_exceeded,\"x, \"\"y\"\"\"", attempts[2]);

        string[] metrics = File.ReadAllLines(dir.File(RunFiles.Metrics));
        Assert.Equal("time_s,name,labels,value", metrics[0]);
        Assert.Equal("2.000000,pyroscope_receive_http_tcp_connections,\"component_id=\"\"r\"\",protocol=\"\"http\"\"\",0.30000000000000004", metrics[1]);
    }

    [Fact]
    public void Reading_the_files_back_gives_the_records_that_were_written()
    {
        using var dir = new TempDirectory();
        var run = SyntheticRun.Standard();
        run.WriteCsv(dir.Path);

        var pushes = RecordCsvReader.ReadPushes(dir.File(RunFiles.Pushes)).ToList();
        var attempts = RecordCsvReader.ReadAttempts(dir.File(RunFiles.Attempts)).ToList();
        var samples = RecordCsvReader.ReadMetrics(dir.File(RunFiles.Metrics)).ToList();

        // Times in the run are whole microseconds, so nothing is lost to the six decimals.
        Assert.Equal(run.Pushes.OrderBy(p => p.End.Ticks).ThenBy(p => p.PushId), pushes);
        Assert.Equal(run.Attempts.OrderBy(a => a.End.Ticks).ThenBy(a => a.PushId), attempts);
        Assert.Equal(run.Samples.OrderBy(s => s.Time.Ticks), samples);
        Assert.Contains(pushes, p => p.Error is { } e && e.Contains('\n')); // a multi-line error survives quoting
    }

    [Fact]
    public void Identical_records_give_byte_identical_files()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        SyntheticRun.Standard().WriteCsv(a.Path);
        SyntheticRun.Standard().WriteCsv(b.Path);
        foreach (string file in new[] { RunFiles.Pushes, RunFiles.Attempts, RunFiles.Metrics })
            Assert.Equal(File.ReadAllBytes(a.File(file)), File.ReadAllBytes(b.File(file)));
    }

    [Fact]
    public void Files_appear_under_their_names_only_when_the_run_completes()
    {
        using var dir = new TempDirectory();
        using (var sink = new CsvRecordSink(dir.Path))
        {
            SyntheticRun.Standard().Replay(sink);
            Assert.False(File.Exists(dir.File(RunFiles.Pushes)));
            Assert.True(File.Exists(dir.File(RunFiles.Pushes + ".partial")));
            sink.Complete();
        }
        Assert.Equal(
            [RunFiles.Attempts, RunFiles.Metrics, RunFiles.Pushes],
            Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_run_that_fails_leaves_no_record_files_and_keeps_the_previous_complete_ones()
    {
        using var dir = new TempDirectory();
        SyntheticRun.Standard().WriteCsv(dir.Path);
        byte[] previous = File.ReadAllBytes(dir.File(RunFiles.Pushes));

        using (var sink = new CsvRecordSink(dir.Path))
        {
            var run = new SyntheticRun();
            run.AddPush("other", "http://x", 0, 1, PushResult.Delivered);
            run.Replay(sink);
            // no Complete(): the run failed
        }

        Assert.Empty(Directory.GetFiles(dir.Path, "*.partial"));
        Assert.Equal(previous, File.ReadAllBytes(dir.File(RunFiles.Pushes)));
    }

    [Fact]
    public void Completing_replaces_files_of_an_earlier_run()
    {
        using var dir = new TempDirectory();
        SyntheticRun.Standard().WriteCsv(dir.Path);
        var run = new SyntheticRun();
        run.AddPush("other", "http://x", 0, 1, PushResult.Delivered);
        run.WriteCsv(dir.Path);

        var push = Assert.Single(RecordCsvReader.ReadPushes(dir.File(RunFiles.Pushes)));
        Assert.Equal("other", push.Writer);
    }

    [Fact]
    public void An_unset_deadline_parent_and_backlog_wait_are_empty_fields_and_read_back_as_none()
    {
        using var dir = new TempDirectory();
        using (var sink = new CsvRecordSink(dir.Path))
        {
            sink.OnAttempt(new AttemptRecord
            {
                PushId = 3, Number = 1, Writer = "w", Endpoint = "e", Start = Instant.Zero, End = Instant.FromSeconds(1),
                Deadline = Deadline.None, Code = ConnectCode.Unavailable,
            });
            sink.Complete();
        }
        Assert.EndsWith("1.000000,,-1,false,0.000000,,unavailable,", File.ReadAllLines(dir.File(RunFiles.Attempts))[1]);
        var attempt = Assert.Single(RecordCsvReader.ReadAttempts(dir.File(RunFiles.Attempts)));
        Assert.Equal(Deadline.None, attempt.Deadline);
        Assert.Null(attempt.Error);
        Assert.Equal(-1, attempt.ConnectionId);
        Assert.Null(attempt.BacklogWait);
    }
}
