namespace PipelineSim.Core.Time;

/// <summary>
/// A Go context deadline: either none, or the instant at which the context is done. The default value is
/// <see cref="None"/>.
/// </summary>
public readonly record struct Deadline
{
    private readonly Instant when;

    private Deadline(Instant when)
    {
        this.when = when;
        HasValue = true;
    }

    public static Deadline None => default;

    public static Deadline At(Instant when) => new(when);

    /// <summary><c>context.WithTimeout</c> from <paramref name="now"/>; saturates instead of wrapping for huge timeouts.</summary>
    public static Deadline After(Instant now, TimeSpan timeout) => At(now + timeout);

    public bool HasValue { get; }

    public Instant When => HasValue ? when : throw new InvalidOperationException("The deadline is none.");

    /// <summary>The earlier of two deadlines, treating none as infinitely late (how nested Go contexts combine).</summary>
    public static Deadline Min(Deadline a, Deadline b)
    {
        if (!a.HasValue) return b;
        if (!b.HasValue) return a;
        return a.when <= b.when ? a : b;
    }

    /// <summary>Time left before the deadline, never negative; null when there is none.</summary>
    public TimeSpan? Remaining(Instant now)
    {
        if (!HasValue) return null;
        return now >= when ? TimeSpan.Zero : when - now;
    }

    /// <summary>True once the deadline is reached: a Go context is done at its deadline, not after it.</summary>
    public bool IsExpired(Instant now) => HasValue && now >= when;

    public override string ToString() => HasValue ? when.ToString() : "none";
}
