using PipelineSim.Core.Time;

namespace PipelineSim.Live.Time;

/// <summary>
/// Real time for the live components, in the unit Core decides in: an <see cref="Instant"/> counted from the clock's
/// creation on a monotonic timer. With a <see cref="TimeScale"/> below 1 the components run a scenario faster than
/// real time: every instant and duration they reason about is scenario time, and only the waits handed to the
/// operating system (timers, socket and Kestrel timeouts) are converted to wall time, here and nowhere else.
/// </summary>
public sealed class LiveClock
{
    private static long lastId;
    private readonly TimeProvider time;
    private readonly long origin;

    /// <param name="timeScale">Wall seconds per scenario second: 0.05 runs a 10 s timeout in 500 ms.</param>
    public LiveClock(double timeScale = 1.0, TimeProvider? time = null)
    {
        if (!(timeScale > 0) || double.IsInfinity(timeScale))
            throw new ArgumentOutOfRangeException(nameof(timeScale), timeScale, "The time scale must be a positive number.");
        TimeScale = timeScale;
        this.time = time ?? TimeProvider.System;
        origin = this.time.GetTimestamp();
        Id = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Environment.ProcessId}.{Interlocked.Increment(ref lastId)}");
    }

    /// <summary>Names this clock among every clock of every process on the machine, for instants sent between components.</summary>
    public string Id { get; }

    /// <summary>One clock for everything in one process that is not part of a scaled run.</summary>
    public static LiveClock RealTime { get; } = new();

    public double TimeScale { get; }

    public Instant Now => Instant.FromTimeSpan(ToScenario(time.GetElapsedTime(origin)));

    /// <summary>The wall-clock length of a scenario duration; saturates instead of overflowing.</summary>
    public TimeSpan ToWall(TimeSpan scenario)
    {
        if (TimeScale == 1.0) return scenario;
        double ticks = scenario.Ticks * TimeScale;
        return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)Math.Round(ticks));
    }

    public TimeSpan ToScenario(TimeSpan wall)
    {
        if (TimeScale == 1.0) return wall;
        double ticks = wall.Ticks / TimeScale;
        return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)Math.Round(ticks));
    }

    /// <summary>
    /// Waits a scenario duration, never less: as <see cref="DelayUntil"/> from now. (A plain Task.Delay of the wall
    /// duration would drop its part below a whole millisecond, and a backend's service time under a millisecond of
    /// wall time would take none.)
    /// </summary>
    public Task Delay(TimeSpan scenario, CancellationToken cancellationToken = default) =>
        scenario <= TimeSpan.Zero ? Task.CompletedTask : DelayUntil(Now + scenario, cancellationToken);

    /// <summary>
    /// Returns once <see cref="Now"/> has reached <paramref name="when"/>, never earlier: a timer may fire a little
    /// before the monotonic clock agrees, and Core's decisions (is the deadline reached?) must see the later time.
    /// </summary>
    public async Task DelayUntil(Instant when, CancellationToken cancellationToken = default)
    {
        for (var now = Now; now < when; now = Now)
            await Task.Delay(ClampTimer(WholeMillisecondsUp(ToWall(when - now))), time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Task.Delay counts whole milliseconds and drops the rest (System.Threading.Tasks.Task.ValidateTimeout), which
    /// would wake a wait for 2.7 ms after 2 ms and a wait under 1 ms at once: round up instead, so the first wake-up
    /// is the first whole millisecond at or after the instant.
    /// </summary>
    private static TimeSpan WholeMillisecondsUp(TimeSpan wall) =>
        TimeSpan.FromMilliseconds(Math.Max(1, wall.Ticks / TimeSpan.TicksPerMillisecond + (wall.Ticks % TimeSpan.TicksPerMillisecond == 0 ? 0 : 1)));

    /// <summary>
    /// A token cancelled when <paramref name="deadline"/> passes by this clock, never before (none: never); dispose it
    /// when done. A plain timed <see cref="CancellationTokenSource"/> may fire up to a millisecond early (timers count
    /// whole milliseconds), which a time scale turns into many scenario milliseconds: enough for an upstream's deadline
    /// to seem to pass before the one it handed down.
    /// </summary>
    public CancellationTokenSource CancelAt(Deadline deadline)
    {
        if (!deadline.HasValue) return new CancellationTokenSource();
        if (deadline.IsExpired(Now))
        {
            var expired = new CancellationTokenSource();
            expired.Cancel();
            return expired;
        }
        return new ClockCancellation(this, deadline.When);
    }

    private sealed class ClockCancellation : CancellationTokenSource
    {
        private readonly CancellationTokenSource stopWaiting = new();

        public ClockCancellation(LiveClock clock, Instant when) => _ = CancelWhenReachedAsync(clock, when);

        private async Task CancelWhenReachedAsync(LiveClock clock, Instant when)
        {
            try
            {
                await clock.DelayUntil(when, stopWaiting.Token).ConfigureAwait(false);
                Cancel();
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                // Disposed before the deadline: the request it guarded is over.
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                stopWaiting.Cancel();
                stopWaiting.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    // Timers take at most about 49 days; anything beyond is "never" for a run.
    private static TimeSpan ClampTimer(TimeSpan wall) =>
        wall > TimeSpan.FromMilliseconds(uint.MaxValue - 1) ? TimeSpan.FromMilliseconds(uint.MaxValue - 1) : wall;
}
