using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Core.Retry;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Tests.Retry;

/// <summary>The bookkeeping both drivers take from the loop: the already-done attempt, attempt records, counters.</summary>
public class PushLoopBookkeepingTests
{
    private static readonly Instant T0 = Instant.FromSeconds(60);
    private static readonly WriteEndpointOptions Endpoint = new() { Url = "http://r:8080", RemoteTimeout = TimeSpan.FromSeconds(10) };

    private static PushLoop Loop(Deadline parent) => new(Endpoint, parent, T0, new Random(1));

    private static Instant At(double secondsAfterT0) => T0 + TimeSpan.FromSeconds(secondsAfterT0);

    /// <summary>
    /// The attempt begins at T0 + <paramref name="beginAt"/> with a parent deadline at T0 + 5 s; the transport looks at
    /// T0 + <paramref name="checkAt"/>. Exactly at the deadline the context is done (Go: a deadline equal to now has passed).
    /// </summary>
    [Theory]
    [InlineData(0, 4.9999999, false, null)]
    [InlineData(0, 5, false, ConnectCode.DeadlineExceeded)]
    [InlineData(0, 5.0000001, false, ConnectCode.DeadlineExceeded)]
    [InlineData(0, 0, true, ConnectCode.Canceled)]
    [InlineData(0, 6, true, ConnectCode.Canceled)] // a canceled caller is reported as canceled even past the deadline
    [InlineData(7, 7, false, ConnectCode.DeadlineExceeded)] // the first attempt is made after the parent deadline: it fails at once
    public void An_attempt_whose_context_is_done_fails_before_sending(double beginAt, double checkAt, bool callerCanceled, ConnectCode? expected)
    {
        var loop = Loop(Deadline.At(At(5)));
        loop.Next(At(beginAt));
        Assert.Equal(expected, loop.FailsBeforeSending(At(checkAt), callerCanceled)?.Code);
    }

    [Fact]
    public void A_canceled_parent_fails_the_next_attempt_as_canceled()
    {
        var loop = Loop(Deadline.None);
        loop.Next(T0);
        loop.CancelParent();
        Assert.Equal(ConnectError.Canceled, loop.FailsBeforeSending(T0));
    }

    [Fact]
    public void Asking_without_a_running_attempt_is_a_driver_bug()
    {
        var loop = Loop(Deadline.None);
        Assert.Throws<InvalidOperationException>(() => loop.FailsBeforeSending(T0));
    }

    [Fact]
    public void The_attempt_record_carries_what_the_loop_decided_and_what_the_driver_saw()
    {
        var loop = Loop(Deadline.At(At(15)));
        loop.Next(T0);
        var failed = new ConnectError(ConnectCode.Unavailable, "unexpected EOF");
        var first = loop.AttemptRecord(7, "w1", At(2), AttemptConnection.None, failed);
        var sleep = loop.OnAttemptCompleted(At(2), failed);
        loop.Next(sleep.SleepUntil);
        var second = loop.AttemptRecord(7, "w1", sleep.SleepUntil + TimeSpan.FromSeconds(1),
            new AttemptConnection(3, Reused: true, TimeSpan.FromSeconds(0.5)), null);

        Assert.Equal(new AttemptRecord
        {
            PushId = 7, Number = 1, Writer = "w1", Endpoint = "http://r:8080", Start = T0, End = At(2),
            Deadline = Deadline.At(At(10)), Code = ConnectCode.Unavailable, Error = "unavailable: unexpected EOF",
        }, first);
        Assert.Equal((2, sleep.SleepUntil, Deadline.At(sleep.SleepUntil + TimeSpan.FromSeconds(10)), ConnectCode.Ok, (string?)null),
            (second.Number, second.Start, second.Deadline, second.Code, second.Error));
        Assert.Equal((3L, true, TimeSpan.FromSeconds(0.5)), (second.ConnectionId, second.Reused, second.IdleBefore));
    }

    [Fact]
    public void A_driver_may_hand_the_error_text_it_already_has()
    {
        var loop = Loop(Deadline.None);
        loop.Next(T0);
        var record = loop.AttemptRecord(1, "w", At(1), AttemptConnection.None, ConnectError.DeadlineExceeded, "precomputed");
        Assert.Equal("precomputed", record.Error);
    }

    [Theory]
    [InlineData(PushResult.Delivered, 1000, 4, 0, 0)]
    [InlineData(PushResult.Failed, 0, 0, 1000, 4)]
    [InlineData(PushResult.InFlight, 0, 0, 0, 0)]
    public void A_push_counts_as_sent_dropped_or_not_at_all(PushResult result, long sentBytes, long sentProfiles, long droppedBytes, long droppedProfiles) =>
        Assert.Equal(new WriteTally(sentBytes, sentProfiles, droppedBytes, droppedProfiles), WriteTally.Of(result, profiles: 4, bytes: 1000));

    [Fact]
    public void The_loop_tallies_by_how_it_ended()
    {
        var loop = Loop(Deadline.None);
        loop.Next(T0);
        Assert.Equal(default, loop.Tally(4, 1000)); // still running
        loop.OnAttemptCompleted(At(1), new ConnectError(ConnectCode.InvalidArgument, "bad")); // not retried
        Assert.Equal(new WriteTally(0, 0, 1000, 4), loop.Tally(4, 1000));
    }

    [Fact]
    public void Retries_counted_are_the_attempt_steps_marked_as_retries()
    {
        var loop = Loop(Deadline.None);
        int marked = 0;
        var step = loop.Next(T0);
        while (step.Kind != PushStepKind.Done)
        {
            if (step.Kind == PushStepKind.Attempt)
            {
                if (step.IsRetry) marked++;
                step = loop.OnAttemptCompleted(loop.AttemptStart, new ConnectError(ConnectCode.Unavailable, "down"));
            }
            else step = loop.Next(step.SleepUntil);
        }
        Assert.Equal(Endpoint.MaxBackoffRetries, loop.Attempts);
        Assert.Equal(loop.RetriesCounted, marked);
        Assert.Equal(loop.Attempts - 1, marked);
    }
}
