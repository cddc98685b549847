using PipelineSim.Analysis.Records;

namespace PipelineSim.Analysis.Tests.Records;

public class ParquetRecordSinkTests
{
    [Fact]
    public void Reading_the_Parquet_files_back_gives_the_records_the_CSV_files_give()
    {
        using var csv = new TempDirectory();
        using var parquet = new TempDirectory();
        var run = SyntheticRun.Standard();
        run.WriteCsv(csv.Path);
        WriteParquet(run, parquet.Path);

        var pushes = RecordParquetReader.ReadPushes(parquet.File(RunFiles.PushesParquet)).ToList();
        var attempts = RecordParquetReader.ReadAttempts(parquet.File(RunFiles.AttemptsParquet)).ToList();
        Assert.Equal(RecordCsvReader.ReadPushes(csv.File(RunFiles.Pushes)), pushes);
        Assert.Equal(RecordCsvReader.ReadAttempts(csv.File(RunFiles.Attempts)), attempts);
        // Nulls and text with commas, quotes and newlines come back as written.
        Assert.Contains(pushes, p => p.ParentPushId is null);
        Assert.Contains(pushes, p => p.Error is { } e && e.Contains('\n'));
        Assert.Contains(attempts, a => a.BacklogWait is null);
        Assert.Contains(attempts, a => a.BacklogWait == TimeSpan.FromMilliseconds(1500));
    }

    [Fact]
    public void The_columns_are_the_CSV_columns_with_their_types()
    {
        using var dir = new TempDirectory();
        WriteParquet(SyntheticRun.Standard(), dir.Path);

        var attempts = ParquetSchemaOf(dir.File(RunFiles.AttemptsParquet));
        Assert.Equal(RecordColumns.Attempts, attempts.Select(f => f.Name));
        Assert.Equal(typeof(long), attempts.Single(f => f.Name == "push_id").ClrType);
        Assert.Equal(typeof(double), attempts.Single(f => f.Name == "start_s").ClrType);
        Assert.Equal(typeof(bool), attempts.Single(f => f.Name == "reused").ClrType);
        Assert.True(attempts.Single(f => f.Name == "backlog_wait_s").IsNullable);
        Assert.False(attempts.Single(f => f.Name == "code").IsNullable);
        Assert.Equal(RecordColumns.Pushes, ParquetSchemaOf(dir.File(RunFiles.PushesParquet)).Select(f => f.Name));
    }

    [Fact]
    public void Many_rows_span_row_groups_and_read_back_in_order()
    {
        using var dir = new TempDirectory();
        var run = new SyntheticRun();
        int count = ParquetRecordSink.RowGroupSize + 1000;
        for (int k = 0; k < count; k++) run.AddPush(SyntheticRun.W1, SyntheticRun.R, startSeconds: k * 0.001, attemptSeconds: 0.25, Core.Records.PushResult.Delivered);
        WriteParquet(run, dir.Path);

        var pushes = RecordParquetReader.ReadPushes(dir.File(RunFiles.PushesParquet)).ToList();
        Assert.Equal(count, pushes.Count);
        Assert.Equal(run.Pushes.OrderBy(p => p.End.Ticks).ThenBy(p => p.PushId), pushes);
    }

    [Fact]
    public void Files_appear_only_when_complete_and_an_unfinished_run_leaves_none()
    {
        using var dir = new TempDirectory();
        using (var sink = new ParquetRecordSink(dir.Path))
        {
            SyntheticRun.Standard().Replay(sink);
            Assert.False(File.Exists(dir.File(RunFiles.PushesParquet)));
        }
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Identical_records_give_byte_identical_files()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        WriteParquet(SyntheticRun.Standard(), a.Path);
        WriteParquet(SyntheticRun.Standard(), b.Path);
        foreach (string file in new[] { RunFiles.PushesParquet, RunFiles.AttemptsParquet })
            Assert.Equal(File.ReadAllBytes(a.File(file)), File.ReadAllBytes(b.File(file)));
    }

    [Theory]
    [InlineData(long.MaxValue)] // written as 922337203685.477581 s, one microsecond past what a tick count holds
    [InlineData(long.MinValue)]
    public void A_time_no_instant_can_hold_is_reported_with_its_file_row_and_column_not_as_an_overflow(long ticks)
    {
        using var dir = new TempDirectory();
        var run = SyntheticRun.Standard();
        run.Pushes[1] = run.Pushes[1] with { End = new Core.Time.Instant(ticks) };
        WriteParquet(run, dir.Path);

        var error = Assert.Throws<RecordFileException>(() => RecordParquetReader.ReadPushes(dir.File(RunFiles.PushesParquet)).ToList());

        var problem = Assert.Single(error.Problems);
        Assert.Equal(RunFiles.PushesParquet, problem.File);
        Assert.Equal("end_s", problem.Column);
        Assert.True(problem.Line > 0);
        Assert.Contains("is not seconds within ±922337203685", problem.Message);
    }

    private static void WriteParquet(SyntheticRun run, string directory)
    {
        using var sink = new ParquetRecordSink(directory);
        run.Replay(sink);
        sink.Complete();
    }

    private static Parquet.Schema.DataField[] ParquetSchemaOf(string path)
    {
        using var stream = File.OpenRead(path);
        var reader = Parquet.ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
        try
        {
            return reader.Schema.GetDataFields();
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
