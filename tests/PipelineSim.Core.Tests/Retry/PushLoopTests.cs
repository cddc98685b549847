using FsCheck.Xunit;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Core.Retry;
using PipelineSim.Core.Time;
using static PipelineSim.Core.Tests.Retry.PushLoopDriver;

namespace PipelineSim.Core.Tests.Retry;

public class PushLoopTests
{
    private const string Url = "http://receiver:8080";
    private static readonly Instant T0 = Instant.FromSeconds(60);
    private static readonly WriteEndpointOptions Defaults = new() { Url = Url };
    private static readonly ConnectError Unavailable = new(ConnectCode.Unavailable, "connection refused");

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    private static PushLoop Loop(Deadline parent, WriteEndpointOptions? endpoint = null, int seed = 1, WriteApi api = WriteApi.Push) =>
        new(endpoint ?? Defaults, parent, T0, new Random(seed), api);

    private static int Count(List<PushStep> steps, PushStepKind kind) => steps.Count(s => s.Kind == kind);

    [Fact]
    public void Success_on_the_first_attempt()
    {
        var loop = Loop(Deadline.None);
        var first = loop.Next(T0);
        Assert.Equal(PushStep.Attempt(1, Deadline.At(T0 + S(10))), first);
        var done = loop.OnAttemptCompleted(T0 + S(0.7), null);
        Assert.Equal(PushStep.Done(1), done);
        Assert.False(first.IsRetry);
        Assert.True(loop.IsDone);
        Assert.True(loop.Delivered);
        Assert.Null(loop.LastError);
        Assert.Equal(ConnectCode.Ok, loop.LastCode);
        Assert.Null(loop.ErrorText);
        Assert.Equal((1, 0, 0), (loop.Attempts, loop.Retries, loop.RetriesCounted));
    }

    [Fact]
    public void The_record_states_what_the_loop_decided()
    {
        var parent = Deadline.At(T0 + S(30));
        var loop = Loop(parent);
        loop.Next(T0);
        var sleep = loop.OnAttemptCompleted(T0 + S(1), Unavailable);
        var running = loop.ToRecord(7, 3, "agent-1", "w2", T0 + S(2), profiles: 1, bytes: 512);
        Assert.Equal(PushResult.InFlight, running.Result);
        Assert.Equal(ConnectCode.Unavailable, running.Code);
        Assert.Null(running.Error);

        loop.Next(sleep.SleepUntil);
        loop.OnAttemptCompleted(sleep.SleepUntil + S(1), new ConnectError(ConnectCode.InvalidArgument, "bad labels"));
        var done = loop.ToRecord(7, 3, "agent-1", "w2", sleep.SleepUntil + S(1), profiles: 1, bytes: 512);
        Assert.Equal(new PushRecord
        {
            PushId = 7,
            ParentPushId = 3,
            Source = "agent-1",
            Writer = "w2",
            Endpoint = Url,
            Start = T0,
            End = sleep.SleepUntil + S(1),
            ParentDeadline = parent,
            Attempts = 2,
            Result = PushResult.Failed,
            Code = ConnectCode.InvalidArgument,
            Error = $"failed to push to endpoint {Url} (1 retries): invalid_argument: bad labels",
            Profiles = 1,
            Bytes = 512,
        }, done);
    }

    [Fact]
    public void A_retryable_failure_backs_off_then_retries()
    {
        var loop = Loop(Deadline.None, seed: 5);
        loop.Next(T0);
        var sleep = loop.OnAttemptCompleted(T0 + S(1), Unavailable);
        Assert.Equal(PushStepKind.Sleep, sleep.Kind);
        Assert.InRange(sleep.SleepUntil - (T0 + S(1)), S(0.5), S(1) - TimeSpan.FromTicks(1));
        Assert.Equal(ConnectCode.Unavailable, loop.LastCode);
        Assert.False(sleep.IsRetry);
        var second = loop.Next(sleep.SleepUntil);
        Assert.Equal(PushStep.Attempt(2, Deadline.At(sleep.SleepUntil + S(10))), second);
        Assert.True(second.IsRetry);
        Assert.Equal(PushStep.Done(2), loop.OnAttemptCompleted(sleep.SleepUntil + S(0.2), null));
        Assert.True(loop.Delivered);
        Assert.Equal((2, 1, 1), (loop.Attempts, loop.Retries, loop.RetriesCounted));
    }

    [Fact]
    public void Always_failing_with_defaults_makes_ten_attempts_and_says_ten_retries()
    {
        var loop = Loop(Deadline.None);
        var steps = Run(loop, T0, FailAfter(S(0.1), Unavailable));
        Assert.Equal(10, Count(steps, PushStepKind.Attempt));
        Assert.Equal(9, Count(steps, PushStepKind.Sleep));
        Assert.Equal(PushStepKind.Attempt, steps[^2].Kind); // no sleep after the last attempt
        Assert.Equal((10, 10, 9), (loop.Attempts, loop.Retries, loop.RetriesCounted));
        Assert.Equal(loop.RetriesCounted, steps.Count(s => s.IsRetry));
        Assert.False(loop.Delivered);
        Assert.Equal(ConnectCode.Unavailable, loop.LastCode);
        Assert.Equal($"failed to push to endpoint {Url} (10 retries): unavailable: connection refused", loop.ErrorText);
    }

    [Fact]
    public void A_non_retryable_first_error_ends_at_once_with_zero_retries()
    {
        var loop = Loop(Deadline.None);
        loop.Next(T0);
        var error = new ConnectError(ConnectCode.InvalidArgument, "invalid labels");
        Assert.Equal(PushStep.Done(1), loop.OnAttemptCompleted(T0 + S(0.1), error));
        Assert.Same(error, loop.LastError);
        Assert.Equal($"failed to push to endpoint {Url} (0 retries): invalid_argument: invalid labels", loop.ErrorText);
    }

    [Fact]
    public void Resource_exhausted_is_not_retried_when_the_429_flag_is_off()
    {
        var loop = Loop(Deadline.None, Defaults with { RetryOnHttp429 = false });
        loop.Next(T0);
        Assert.Equal(PushStepKind.Done, loop.OnAttemptCompleted(T0, new ConnectError(ConnectCode.ResourceExhausted, "limit")).Kind);
        Assert.Equal(0, loop.Retries);
    }

    [Fact]
    public void Ingest_loops_word_their_error_as_ingest()
    {
        var loop = Loop(Deadline.None, Defaults with { MaxBackoffRetries = 1 }, api: WriteApi.Ingest);
        Run(loop, T0, FailAfter(S(0.1), ConnectError.FromHttpStatus(503, "busy")));
        Assert.Equal($"failed to ingest to endpoint {Url} (1 retries): pyroscope write error: status=503 msg=busy", loop.ErrorText);
    }

    // The troubleshooting guide's "timeout chain": w1 (10s) -> receive_http -> w2 (10s), w2's request hangs.
    [Fact]
    public void Guide_parent_10s_and_remote_timeout_10s_hanging_first_attempt_leaves_no_retry()
    {
        var loop = Loop(Deadline.At(T0 + S(10)));
        var steps = Run(loop, T0, Hang);
        Assert.Equal([PushStep.Attempt(1, Deadline.At(T0 + S(10))), PushStep.Done(1)], steps);
        Assert.Equal(ConnectCode.DeadlineExceeded, loop.LastError!.Code);
        Assert.Equal(0, loop.RetriesCounted);
        Assert.Equal($"failed to push to endpoint {Url} (1 retries): deadline_exceeded: context deadline exceeded", loop.ErrorText);
    }

    [Fact]
    public void Guide_parent_30s_leaves_room_for_a_second_attempt_after_the_backoff()
    {
        var loop = Loop(Deadline.At(T0 + S(30)));
        Assert.Equal(PushStep.Attempt(1, Deadline.At(T0 + S(10))), loop.Next(T0));
        var sleep = loop.OnAttemptCompleted(T0 + S(10), ConnectError.DeadlineExceeded);
        Assert.Equal(PushStepKind.Sleep, sleep.Kind);
        Assert.InRange(sleep.SleepUntil - T0, S(10.5), S(11) - TimeSpan.FromTicks(1));
        Assert.Equal(ConnectCode.DeadlineExceeded, loop.LastCode);
        Assert.False(sleep.IsRetry);
        var second = loop.Next(sleep.SleepUntil);
        Assert.Equal(PushStep.Attempt(2, Deadline.At(sleep.SleepUntil + S(10))), second);
        Assert.True(second.IsRetry);
        Assert.Equal(PushStep.Done(2), loop.OnAttemptCompleted(sleep.SleepUntil + S(0.8), null));
        Assert.True(loop.Delivered);
    }

    [Property]
    public bool Guide_downstream_3s_under_a_10s_parent_gets_at_least_two_attempts_before_the_parent_deadline(int seed)
    {
        var parent = Deadline.At(T0 + S(10));
        var loop = Loop(parent, Defaults with { RemoteTimeout = S(3) }, seed);
        var attempts = Run(loop, T0, Hang).Where(s => s.Kind == PushStepKind.Attempt).ToList();
        return attempts.Count >= 2
            && attempts.All(a => a.AttemptDeadline.When <= parent.When)
            && attempts[1].AttemptDeadline.When < parent.When
            && loop.IsDone && !loop.Delivered && loop.LastError == ConnectError.DeadlineExceeded;
    }

    [Fact]
    public void When_the_parent_dies_during_a_wait_the_message_wraps_the_last_attempt_error()
    {
        var loop = Loop(Deadline.At(T0 + S(1.2)), seed: 9);
        loop.Next(T0);
        var sleep = loop.OnAttemptCompleted(T0 + S(0.9), Unavailable);
        Assert.Equal(PushStep.Sleep(1, T0 + S(1.2)), sleep); // any delay of [0.5,1) s outlives the parent
        Assert.Equal(PushStep.Done(1), loop.Next(sleep.SleepUntil));
        Assert.Equal(0, loop.RetriesCounted);
        Assert.Equal($"failed to push to endpoint {Url} (1 retries): unavailable: connection refused", loop.ErrorText);
    }

    [Fact]
    public void The_first_attempt_is_made_even_if_the_parent_deadline_has_passed()
    {
        var loop = Loop(Deadline.At(T0 - S(1)));
        var first = loop.Next(T0);
        Assert.Equal(PushStepKind.Attempt, first.Kind);
        Assert.True(first.AttemptDeadline.IsExpired(T0));
        Assert.Equal(PushStep.Done(1), loop.OnAttemptCompleted(T0, ConnectError.DeadlineExceeded));
    }

    [Fact]
    public void Zero_max_retries_keeps_trying()
    {
        var loop = Loop(Deadline.None, Defaults with { MaxBackoffRetries = 0 });
        int calls = 0;
        Run(loop, T0, (_, now) => ++calls < 50 ? new(now + S(1), Unavailable) : new(now + S(1), null));
        Assert.True(loop.Delivered);
        Assert.Equal((50, 49, 49), (loop.Attempts, loop.Retries, loop.RetriesCounted));
    }

    [Property]
    public bool Total_attempts_equal_max_backoff_retries_and_retries_counted_is_one_less(byte maxRetries, int seed)
    {
        int max = maxRetries % 15 + 1;
        var loop = Loop(Deadline.None, Defaults with { MaxBackoffRetries = max }, seed);
        var steps = Run(loop, T0, FailAfter(S(0.05), Unavailable));
        return loop.Attempts == max && loop.Retries == max && loop.RetriesCounted == max - 1
            && Count(steps, PushStepKind.Sleep) == max - 1 && steps[^2].Kind == PushStepKind.Attempt;
    }

    [Property]
    public bool Every_attempt_deadline_is_min_of_parent_and_now_plus_remote_timeout(int seed, byte parentSeconds, byte remoteSeconds)
    {
        var parent = Deadline.At(T0 + S(parentSeconds));
        var endpoint = Defaults with { RemoteTimeout = S(remoteSeconds % 20 + 1) };
        var loop = Loop(parent, endpoint, seed);
        var starts = new List<(Instant Now, Deadline Deadline)>();
        Run(loop, T0, (step, now) =>
        {
            starts.Add((now, step.AttemptDeadline));
            return Hang(step, now);
        });
        return starts.All(a => a.Deadline == Deadline.Min(parent, Deadline.After(a.Now, endpoint.RemoteTimeout)));
    }

    [Fact]
    public void The_same_seed_replays_the_same_steps()
    {
        List<PushStep> Steps(int seed) => Run(Loop(Deadline.None, seed: seed), T0, FailAfter(S(0.3), Unavailable));
        Assert.Equal(Steps(11), Steps(11));
        Assert.NotEqual(Steps(11), Steps(12));
    }

    [Fact]
    public void Misuse_is_refused()
    {
        var loop = Loop(Deadline.None);
        Assert.Throws<InvalidOperationException>(() => loop.OnAttemptCompleted(T0, null));
        loop.Next(T0);
        Assert.Throws<InvalidOperationException>(() => loop.Next(T0));
        loop.OnAttemptCompleted(T0, null);
        Assert.Throws<InvalidOperationException>(() => loop.OnAttemptCompleted(T0, null));
        Assert.Equal(PushStep.Done(1), loop.Next(T0)); // asking again after the end is harmless
    }

    [Fact]
    public void A_parent_canceled_during_a_sleep_ends_the_loop_at_once_keeping_the_last_error()
    {
        var loop = Loop(Deadline.None, seed: 3);
        loop.Next(T0);
        var sleep = loop.OnAttemptCompleted(T0 + S(1), Unavailable);
        Assert.Equal(PushStepKind.Sleep, sleep.Kind);
        loop.CancelParent();
        Assert.True(loop.IsParentCanceled);
        Assert.Equal(PushStep.Done(1), loop.Next(T0 + S(1.1)));
        Assert.False(loop.Delivered);
        Assert.Equal(Unavailable, loop.LastError);
        Assert.Equal($"failed to push to endpoint {Url} (1 retries): unavailable: connection refused", loop.ErrorText);
    }

    [Fact]
    public void A_parent_canceled_during_an_attempt_allows_no_retry_even_for_a_retryable_error()
    {
        var loop = Loop(Deadline.None);
        loop.Next(T0);
        loop.CancelParent();
        // dskit's Wait still counts the retry, then finds the context done and does not sleep.
        Assert.Equal(PushStep.Done(1), loop.OnAttemptCompleted(T0 + S(0.2), ConnectError.DeadlineExceeded));
        Assert.Equal((1, 1, 0), (loop.Attempts, loop.Retries, loop.RetriesCounted));
    }

    [Fact]
    public void Canceled_is_not_retried()
    {
        var loop = Loop(Deadline.None);
        loop.Next(T0);
        Assert.Equal(PushStep.Done(1), loop.OnAttemptCompleted(T0, new ConnectError(ConnectCode.Canceled, "context canceled")));
        Assert.Equal(0, loop.Retries);
    }
}
