using PipelineSim.Analysis.Records;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Tests;

/// <summary>
/// A small deterministic run built by hand: two writer endpoints, pushes with known latencies, attempts and codes,
/// and a receiver's gauges. Every test that needs records uses it and checks against what it was told to build.
/// </summary>
internal sealed class SyntheticRun
{
    public const string W1 = "w1";
    public const string R = "http://r:4040";
    public const string W2 = "w2";
    public const string Backend = "http://pyroscope:4040";

    public List<PushRecord> Pushes { get; } = [];
    public List<AttemptRecord> Attempts { get; } = [];
    public List<MetricSample> Samples { get; } = [];

    private long nextPushId = 1;

    /// <summary>A push whose attempts all last <paramref name="attemptSeconds"/> with no wait between them.</summary>
    public PushRecord AddPush(
        string writer, string endpoint, double startSeconds, double attemptSeconds, PushResult result,
        ConnectCode code = ConnectCode.Ok, int attempts = 1, long? parent = null, int profiles = 4, string? error = null)
    {
        long id = nextPushId++;
        var start = Instant.FromSeconds(startSeconds);
        for (int n = 1; n <= attempts; n++)
        {
            var attemptStart = start + TimeSpan.FromSeconds((n - 1) * attemptSeconds);
            bool last = n == attempts;
            Attempts.Add(new AttemptRecord
            {
                PushId = id,
                Number = n,
                Writer = writer,
                Endpoint = endpoint,
                Start = attemptStart,
                End = attemptStart + TimeSpan.FromSeconds(attemptSeconds),
                Deadline = Deadline.After(attemptStart, TimeSpan.FromSeconds(10)),
                ConnectionId = id * 10 + n,
                Reused = n > 1,
                IdleBefore = n > 1 ? TimeSpan.FromMilliseconds(250) : TimeSpan.Zero,
                // A dialed connection waited 1.5 s in w1's receiver's backlog; w2's figures stand for a live run's, unknown.
                BacklogWait = writer == W2 ? null : n > 1 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(1500),
                Code = last && result == PushResult.Delivered ? ConnectCode.Ok : code,
                Error = last && result == PushResult.Delivered ? null : error,
            });
        }
        var push = new PushRecord
        {
            PushId = id,
            ParentPushId = parent,
            Source = parent is null ? "agents-1" : "r",
            Writer = writer,
            Endpoint = endpoint,
            Start = start,
            End = start + TimeSpan.FromSeconds(attempts * attemptSeconds),
            ParentDeadline = parent is null ? Deadline.None : Deadline.After(start, TimeSpan.FromSeconds(10)),
            Attempts = attempts,
            Result = result,
            Code = result == PushResult.Delivered ? ConnectCode.Ok : code,
            Error = error,
            Profiles = profiles,
            Bytes = profiles * 60_000L,
        };
        Pushes.Add(push);
        return push;
    }

    public void AddSample(double seconds, string name, string component, double value) =>
        Samples.Add(new MetricSample(Instant.FromSeconds(seconds), name, $"component_id=\"{component}\",protocol=\"http\"", value));

    /// <summary>Hands everything to a sink: attempts and pushes in time order of their end, samples after.</summary>
    public void Replay(IRecordSink sink)
    {
        foreach (var attempt in Attempts.OrderBy(a => a.End.Ticks).ThenBy(a => a.PushId)) sink.OnAttempt(attempt);
        foreach (var push in Pushes.OrderBy(p => p.End.Ticks).ThenBy(p => p.PushId)) sink.OnPush(push);
        foreach (var sample in Samples.OrderBy(s => s.Time.Ticks)) sink.OnSample(sample);
    }

    /// <summary>Writes the run's record files into <paramref name="directory"/>, as a completed run does.</summary>
    public void WriteCsv(string directory)
    {
        using var sink = new CsvRecordSink(directory);
        Replay(sink);
        sink.Complete();
    }

    /// <summary>
    /// The standard run: w1 → r delivers 90 pushes (latency 0.1 s · k for k = 1..90, one attempt), 10 that fail
    /// deadline_exceeded after 3 attempts of 10 s, and 2 in flight; w2 → backend forwards 5 with 1 unavailable failure.
    /// The receiver r samples every second for 60 s: connections climb to the limit 16, backlog and SYN drops grow.
    /// </summary>
    public static SyntheticRun Standard()
    {
        var run = new SyntheticRun();
        for (int k = 1; k <= 90; k++) run.AddPush(W1, R, startSeconds: k * 0.5, attemptSeconds: 0.1 * k, PushResult.Delivered);
        for (int k = 0; k < 10; k++)
        {
            run.AddPush(W1, R, startSeconds: 5 + k, attemptSeconds: 10, PushResult.Failed, ConnectCode.DeadlineExceeded, attempts: 3,
                error: "failed to push to endpoint http://r:4040 (3 retries): deadline_exceeded: context deadline exceeded");
        }
        run.AddPush(W1, R, startSeconds: 55, attemptSeconds: 5, PushResult.InFlight, ConnectCode.DeadlineExceeded, profiles: 3);
        run.AddPush(W1, R, startSeconds: 56, attemptSeconds: 4, PushResult.InFlight, ConnectCode.DeadlineExceeded, profiles: 3);
        for (int k = 0; k < 4; k++) run.AddPush(W2, Backend, startSeconds: 1 + k, attemptSeconds: 0.7, PushResult.Delivered, parent: k + 1);
        run.AddPush(W2, Backend, startSeconds: 6, attemptSeconds: 2, PushResult.Failed, ConnectCode.Unavailable, attempts: 2, parent: 5,
            error: "failed to push to endpoint http://pyroscope:4040 (2 retries): unavailable: \"503\", body,\nsecond line");

        for (int s = 0; s <= 60; s++)
        {
            run.AddSample(s, MetricNames.ReceiveTcpConnections, "r", Math.Min(16, s));
            run.AddSample(s, MetricNames.ReceiveTcpConnectionsLimit, "r", 16);
            run.AddSample(s, MetricNames.AcceptBacklog, "r", Math.Max(0, s - 16));
            run.AddSample(s, MetricNames.SynDrops, "r", Math.Max(0, s - 40) * 3);
        }
        run.Samples.Add(new MetricSample(Instant.FromSeconds(30), MetricNames.WriteRetries, "component_id=\"w1\",endpoint=\"http://r:4040\"", 12));
        return run;
    }
}
