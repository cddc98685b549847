using PipelineSim.Core.Time;

namespace PipelineSim.Core.Backend;

/// <summary>
/// A token bucket fed <c>now</c>: <see cref="Rate"/> tokens per second flow in up to <see cref="Burst"/>, and a request
/// is admitted when the bucket holds its cost (1 per request, or its profile bytes for Pyroscope's
/// <c>ingestion_rate_mb</c>). It starts full at <see cref="Instant.Zero"/>.
/// </summary>
public sealed class TokenBucket
{
    private double tokens;
    private Instant filledAt;

    public TokenBucket(double rate, double burst)
    {
        if (!(rate > 0)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "The rate must be positive.");
        if (!(burst >= 0)) throw new ArgumentOutOfRangeException(nameof(burst), burst, "The burst must not be negative.");
        Rate = rate;
        Burst = burst;
        tokens = burst;
    }

    public double Rate { get; }

    public double Burst { get; }

    /// <summary>Tokens held at the last refill.</summary>
    public double Tokens => tokens;

    /// <summary>Refills for the time since the last call, then takes <paramref name="cost"/> if the bucket holds it.</summary>
    public bool TryTake(Instant now, double cost)
    {
        // Ticks over ticks-per-second, then times the rate: the order the simulator always used, kept so its outputs
        // stay byte-identical.
        tokens = Math.Min(Burst, tokens + (now - filledAt).Ticks / (double)TimeSpan.TicksPerSecond * Rate);
        filledAt = now;
        if (tokens < cost) return false;
        tokens -= cost;
        return true;
    }
}
