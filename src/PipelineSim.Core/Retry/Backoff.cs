using PipelineSim.Core.Time;

namespace PipelineSim.Core.Retry;

/// <summary>
/// grafana/dskit <c>backoff.Backoff</c>, step for step (grafana/dskit backoff/backoff.go), with the watched context replaced by a
/// parent <see cref="Deadline"/> and the sleep replaced by returning the instant to wake at.
/// </summary>
/// <remarks>
/// Wait n (1-based) is uniform in [min·2^(n-1), min·2^n) with both bounds capped at MaxBackoff; once the upper
/// bound reaches the cap the range stops moving. Because <see cref="Wait"/> counts a retry before checking
/// <see cref="Ongoing"/>, a loop that calls it after each failed attempt makes exactly MaxRetries attempts.
/// </remarks>
public sealed class Backoff
{
    private readonly BackoffConfig config;
    private readonly Deadline parent;
    private readonly Random random;
    private TimeSpan nextDelayMin;
    private TimeSpan nextDelayMax;

    /// <param name="random">Stands in for Go's math/rand: <c>Int63n(n)</c> is <c>random.NextInt64(n)</c> over ticks.</param>
    public Backoff(BackoffConfig config, Deadline parent, Random random)
    {
        this.config = config;
        this.parent = parent;
        this.random = random;
        nextDelayMin = config.MinBackoff;
        nextDelayMax = DoubleCapped(config.MinBackoff, config.MaxBackoff);
    }

    public int NumRetries { get; private set; }

    /// <summary>True once the watched context was canceled (<see cref="Cancel"/>) rather than reaching its deadline.</summary>
    public bool IsCanceled { get; private set; }

    /// <summary>False once the parent context is done (deadline reached or canceled) or the retries are used up.</summary>
    public bool Ongoing(Instant now) =>
        !IsCanceled && !parent.IsExpired(now) && (config.MaxRetries == 0 || NumRetries < config.MaxRetries);

    /// <summary>The watched context was canceled: from now on <see cref="Ongoing"/> is false, as with <c>ctx.Err() != nil</c>.</summary>
    public void Cancel() => IsCanceled = true;

    /// <summary>Counts a retry and draws the next delay from the current range, then doubles the range.</summary>
    public TimeSpan NextDelay()
    {
        NumRetries++;
        // dskit's guard for min == max (or a misconfigured max below min): no jitter.
        if (nextDelayMin >= nextDelayMax) return nextDelayMin;

        var sleep = nextDelayMin + TimeSpan.FromTicks(random.NextInt64((nextDelayMax - nextDelayMin).Ticks));
        if (nextDelayMax < config.MaxBackoff)
        {
            nextDelayMin = DoubleCapped(nextDelayMin, config.MaxBackoff);
            nextDelayMax = DoubleCapped(nextDelayMax, config.MaxBackoff);
        }
        return sleep;
    }

    /// <summary>
    /// dskit's <c>Wait()</c> without blocking: draws the next delay and, only if still <see cref="Ongoing"/>, returns
    /// when the sleep ends: after the delay, or at the parent deadline if that comes first. Null means no sleep.
    /// </summary>
    public Instant? Wait(Instant now)
    {
        var delay = NextDelay();
        if (!Ongoing(now)) return null;
        var wake = now + delay;
        return parent.HasValue ? Instant.Min(wake, parent.When) : wake;
    }

    private static TimeSpan DoubleCapped(TimeSpan value, TimeSpan max) =>
        value.Ticks > max.Ticks / 2 ? max : value * 2;
}
