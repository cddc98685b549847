using PipelineSim.Analysis.Records;

namespace PipelineSim.Analysis.Tests.Records;

public class RecordCsvReaderTests
{
    private const string PushHeader =
        "push_id,parent_push_id,source,writer,endpoint,start_s,end_s,latency_s,parent_deadline_s,attempts,result,code,profiles,bytes,error";

    private const string GoodPush = "1,,a,w1,http://r,1.000000,2.000000,1.000000,,1,delivered,ok,4,100,";

    private static RecordFileException ReadPushesExpectingFailure(TempDirectory dir, params string[] lines)
    {
        File.WriteAllLines(dir.File(RunFiles.Pushes), lines);
        return Assert.Throws<RecordFileException>(() => RecordCsvReader.ReadPushes(dir.File(RunFiles.Pushes)).ToList());
    }

    [Fact]
    public void Each_bad_field_is_one_line_naming_file_line_and_column()
    {
        using var dir = new TempDirectory();
        var error = ReadPushesExpectingFailure(dir,
            PushHeader,
            GoodPush,
            "2,,a,w1,http://r,soon,2.000000,1.000000,,1,delivered,ok,4,100,",
            GoodPush,
            "4,,a,w1,http://r,1.000000,2.000000,1.000000,,1,lost,ok,4,100,",
            "5,,a,w1,http://r,1.000000,2.000000,1.000000,,1,failed,timeout,4,100,",
            "6,,a,w1,http://r");

        Assert.Equal(
            [
                "pushes.csv:3: start_s: 'soon' is not seconds such as 12.345678",
                "pushes.csv:5: result: 'lost' is not delivered, failed or in_flight",
                "pushes.csv:6: code: 'timeout' is not a Connect code name such as deadline_exceeded",
                "pushes.csv:7: expected 15 fields, found 5",
            ],
            error.Message.Split(Environment.NewLine));
    }

    [Fact]
    public void The_good_rows_are_still_read_before_the_problems_are_reported()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File(RunFiles.Pushes), [PushHeader, GoodPush, "x" + GoodPush, GoodPush]);
        var read = new List<long>();
        Assert.Throws<RecordFileException>(() =>
        {
            foreach (var push in RecordCsvReader.ReadPushes(dir.File(RunFiles.Pushes))) read.Add(push.PushId);
        });
        Assert.Equal([1, 1], read);
    }

    [Fact]
    public void A_wrong_header_is_reported_with_both_column_lists()
    {
        using var dir = new TempDirectory();
        var error = ReadPushesExpectingFailure(dir, "push_id,source", "1,a");
        var problem = Assert.Single(error.Problems);
        Assert.Equal(1, problem.Line);
        Assert.StartsWith("pushes.csv:1: expected the columns push_id,parent_push_id,", error.Message);
        Assert.EndsWith("but found push_id,source", error.Message);
    }

    [Fact]
    public void A_missing_file_is_one_problem_naming_the_path()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<RecordFileException>(() => RecordCsvReader.ReadMetrics(dir.File(RunFiles.Metrics)).ToList());
        Assert.Equal($"metrics.csv:0: no such file: {dir.File(RunFiles.Metrics)}", error.Message);
    }

    [Fact]
    public void Reports_the_first_twenty_problems_and_counts_the_rest()
    {
        using var dir = new TempDirectory();
        var lines = new List<string> { PushHeader };
        for (int i = 0; i < 25; i++) lines.Add("x" + GoodPush);
        var error = ReadPushesExpectingFailure(dir, [.. lines]);
        Assert.Equal(RecordCsvReader.MaxReportedProblems, error.Problems.Count);
        Assert.EndsWith("... and 5 more problems", error.Message);
        Assert.All(error.Problems, p => Assert.Equal("push_id", p.Column));
    }

    [Fact]
    public void Metric_values_read_back_exactly_including_special_values()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File(RunFiles.Metrics),
            ["time_s,name,labels,value", "1.000000,m,,0.30000000000000004", "2.000000,m,,NaN", "3.000000,m,,-1E-300"]);
        var values = RecordCsvReader.ReadMetrics(dir.File(RunFiles.Metrics)).Select(s => s.Value).ToList();
        Assert.Equal(0.1 + 0.2, values[0]);
        Assert.True(double.IsNaN(values[1]));
        Assert.Equal(-1e-300, values[2]);
    }

    [Fact]
    public void Broken_quoting_is_reported_as_a_line_not_a_stack_trace()
    {
        using var dir = new TempDirectory();
        var error = ReadPushesExpectingFailure(dir, PushHeader, GoodPush, "2,,\"a\"b,w1,http://r,1.000000,2.000000,1.000000,,1,delivered,ok,4,100,");
        var problem = Assert.Single(error.Problems);
        Assert.Equal("pushes.csv", problem.File);
        Assert.Equal(3, problem.Line);
        Assert.DoesNotContain(Environment.NewLine, error.Message);
    }
}
