namespace PipelineSim.Live.Tests.Support;

/// <summary>
/// Plays a whole live run on a <see cref="ManualTimeProvider"/>: the test moves scenario time from one pending timer to
/// the next, and before each move waits (on the wall clock, bounded only as a liveness check) for the evidence that
/// the work the last timer started has reached its next wait. Bytes travel while time stands still, so every instant a
/// component records is the instant its timer was due, whatever the machine's load: the run's story is exact.
/// </summary>
/// <param name="settled">
/// Evidence that the run is waiting on timers alone at scenario time <c>now</c>, checked before every move (e.g. the
/// metric samples due by then are recorded). Steps with their own evidence wait for it with <see cref="Until"/>.
/// </param>
internal sealed class ClockDriver(ManualTimeProvider time, Func<TimeSpan, bool>? settled = null)
{
    /// <summary>How long the wall clock may take to show evidence before the test fails: a bound on liveness, not timing.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public TimeSpan Now => time.Elapsed;

    /// <summary>Waits until <paramref name="evidence"/> holds (the components reached their next wait).</summary>
    public async Task Until(Func<bool> evidence, string what)
    {
        var giveUp = DateTime.UtcNow + Patience;
        while (!evidence())
        {
            if (DateTime.UtcNow > giveUp)
                Assert.Fail($"timed out waiting for {what} at scenario time {Now}; timers pending at {string.Join(", ", time.PendingTimers)}");
            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Moves time to <paramref name="to"/>, firing each pending timer at its own instant in order, waiting for the run
    /// to settle before each move and after the last.
    /// </summary>
    public async Task AdvanceTo(TimeSpan to)
    {
        if (to < Now) throw new ArgumentOutOfRangeException(nameof(to), to, $"time is already {Now}");
        while (true)
        {
            await Settle().ConfigureAwait(false);
            var next = time.NextDue is TimeSpan due && due <= to ? due : to;
            if (next == Now) break;
            time.Advance(next - Now);
        }
        await Settle().ConfigureAwait(false);
    }

    /// <summary>Moves time to the next pending timer after now (none: fails) and returns that instant.</summary>
    public async Task<TimeSpan> AdvanceToNextTimer()
    {
        await Settle().ConfigureAwait(false);
        var next = time.NextDue ?? throw new InvalidOperationException($"no timer is pending at {Now}");
        await AdvanceTo(next).ConfigureAwait(false);
        return next;
    }

    private Task Settle() => settled is null ? Task.CompletedTask : Until(() => settled(Now), "the run to settle");
}
