using FsCheck.Xunit;
using PipelineSim.Core.Limits;

namespace PipelineSim.Core.Tests.Limits;

public class ConnectionLimiterTests
{
    [Fact]
    public void Accepts_up_to_the_limit_then_queues_then_rejects()
    {
        var limiter = new ConnectionLimiter<string>(limit: 2, maxWaiting: 1);
        Assert.Equal(Admission.Accepted, limiter.TryAcquire("a"));
        Assert.Equal(Admission.Accepted, limiter.TryAcquire("b"));
        Assert.Equal(Admission.Queued, limiter.TryAcquire("c"));
        Assert.Equal(Admission.Rejected, limiter.TryAcquire("d"));
        Assert.Equal((2, 1, 2), (limiter.Active, limiter.Waiting, limiter.PeakActive));
    }

    [Fact]
    public void Release_hands_the_slot_to_the_oldest_waiter()
    {
        var limiter = new ConnectionLimiter<string>(limit: 1);
        limiter.TryAcquire("a");
        limiter.TryAcquire("b");
        limiter.TryAcquire("c");
        Assert.True(limiter.Release(out var next));
        Assert.Equal("b", next);
        Assert.Equal((1, 1), (limiter.Active, limiter.Waiting));
        Assert.True(limiter.Release(out next));
        Assert.Equal("c", next);
        Assert.False(limiter.Release(out next));
        Assert.Null(next);
        Assert.Equal((0, 0), (limiter.Active, limiter.Waiting));
    }

    [Fact]
    public void A_withdrawn_waiter_leaves_the_backlog_without_a_slot()
    {
        var limiter = new ConnectionLimiter<string>(limit: 1);
        limiter.TryAcquire("a");
        limiter.TryAcquire("b");
        limiter.TryAcquire("c");
        Assert.True(limiter.Withdraw("b"));
        Assert.False(limiter.Withdraw("b"));
        Assert.Equal((1, 1), (limiter.Active, limiter.Waiting));
        Assert.True(limiter.Release(out var next));
        Assert.Equal("c", next);
    }

    [Fact]
    public void A_waiter_already_handed_a_slot_cannot_withdraw()
    {
        var limiter = new ConnectionLimiter<string>(limit: 1);
        limiter.TryAcquire("a");
        limiter.TryAcquire("b");
        limiter.Release(out _);
        Assert.False(limiter.Withdraw("b"));
        Assert.Equal((1, 0), (limiter.Active, limiter.Waiting));
    }

    [Fact]
    public void A_freed_slot_is_taken_by_the_next_arrival()
    {
        var limiter = new ConnectionLimiter<int>(limit: 1);
        limiter.TryAcquire(1);
        limiter.Release(out _);
        Assert.Equal(Admission.Accepted, limiter.TryAcquire(2));
    }

    [Fact]
    public void Zero_means_unlimited()
    {
        var limiter = new ConnectionLimiter<int>(limit: 0, maxWaiting: 0);
        for (int i = 0; i < 100_000; i++) Assert.Equal(Admission.Accepted, limiter.TryAcquire(i));
        Assert.True(limiter.IsUnlimited);
        Assert.Equal((100_000, 100_000), (limiter.Active, limiter.PeakActive));
    }

    [Fact]
    public void A_zero_backlog_rejects_at_the_limit() =>
        Assert.Equal(Admission.Rejected, Full(new ConnectionLimiter<int>(limit: 1, maxWaiting: 0)).TryAcquire(2));

    [Fact]
    public void Releasing_more_than_was_accepted_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => new ConnectionLimiter<int>(3).Release(out _));

    [Fact]
    public void Negative_sizes_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectionLimiter<int>(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectionLimiter<int>(1, -1));
    }

    /// <summary>
    /// Random arrivals (true) and closes (false) against a plain model: accepted never exceeds the limit, waiters
    /// get slots in arrival order, rejection happens exactly when slots and backlog are both full.
    /// </summary>
    [Property(MaxTest = 300)]
    public bool Never_exceeds_the_limit_and_hands_off_in_arrival_order(bool[] operations, byte limitSeed, byte backlogSeed)
    {
        int limit = limitSeed % 6 + 1;
        int backlog = backlogSeed % 5;
        var limiter = new ConnectionLimiter<int>(limit, backlog);
        var queued = new Queue<int>();
        int accepted = 0, peak = 0, nextId = 0;
        foreach (bool arrive in operations)
        {
            if (arrive)
            {
                int id = nextId++;
                var expected = accepted < limit ? Admission.Accepted : queued.Count < backlog ? Admission.Queued : Admission.Rejected;
                if (limiter.TryAcquire(id) != expected) return false;
                if (expected == Admission.Accepted) accepted++;
                if (expected == Admission.Queued) queued.Enqueue(id);
            }
            else if (accepted > 0)
            {
                bool handed = limiter.Release(out int next);
                if (handed != queued.Count > 0) return false;
                if (handed && next != queued.Dequeue()) return false;
                if (!handed) accepted--;
            }
            peak = Math.Max(peak, accepted);
            if (limiter.Active != accepted || limiter.Active > limit || limiter.Waiting != queued.Count) return false;
            if (limiter.Waiting > 0 && limiter.Active != limit) return false;
        }
        return limiter.PeakActive == peak;
    }

    private static ConnectionLimiter<int> Full(ConnectionLimiter<int> limiter)
    {
        limiter.TryAcquire(1);
        return limiter;
    }
}
