using FsCheck.Xunit;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Tests.Time;

public class DeadlineTests
{
    private static readonly Instant T0 = Instant.FromSeconds(100);

    [Fact]
    public void None_is_the_default_and_has_no_instant()
    {
        Assert.Equal(Deadline.None, default);
        Assert.False(Deadline.None.HasValue);
        Assert.Throws<InvalidOperationException>(() => Deadline.None.When);
        Assert.Null(Deadline.None.Remaining(T0));
        Assert.False(Deadline.None.IsExpired(Instant.MaxValue));
        Assert.Equal("none", Deadline.None.ToString());
    }

    [Fact]
    public void At_holds_its_instant_and_prints_seconds()
    {
        var d = Deadline.At(Instant.FromSeconds(12.5));
        Assert.True(d.HasValue);
        Assert.Equal(Instant.FromSeconds(12.5), d.When);
        Assert.Equal("12.500000", d.ToString());
    }

    [Fact]
    public void An_instant_deadline_at_zero_differs_from_none() =>
        Assert.NotEqual(Deadline.None, Deadline.At(Instant.Zero));

    [Fact]
    public void Expires_exactly_at_its_instant()
    {
        var d = Deadline.At(T0);
        Assert.False(d.IsExpired(T0 - TimeSpan.FromTicks(1)));
        Assert.True(d.IsExpired(T0));
        Assert.True(d.IsExpired(T0 + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Remaining_counts_down_and_stops_at_zero()
    {
        var d = Deadline.At(T0 + TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(10), d.Remaining(T0));
        Assert.Equal(TimeSpan.Zero, d.Remaining(T0 + TimeSpan.FromSeconds(10)));
        Assert.Equal(TimeSpan.Zero, d.Remaining(T0 + TimeSpan.FromSeconds(11)));
    }

    [Fact]
    public void After_adds_the_timeout_and_saturates()
    {
        Assert.Equal(T0 + TimeSpan.FromSeconds(10), Deadline.After(T0, TimeSpan.FromSeconds(10)).When);
        Assert.Equal(Instant.MaxValue, Deadline.After(T0, TimeSpan.MaxValue).When);
    }

    [Fact]
    public void Min_treats_none_as_infinitely_late()
    {
        var early = Deadline.At(T0);
        var late = Deadline.At(T0 + TimeSpan.FromSeconds(1));
        Assert.Equal(early, Deadline.Min(early, late));
        Assert.Equal(early, Deadline.Min(late, early));
        Assert.Equal(late, Deadline.Min(Deadline.None, late));
        Assert.Equal(late, Deadline.Min(late, Deadline.None));
        Assert.Equal(Deadline.None, Deadline.Min(Deadline.None, Deadline.None));
    }

    [Property]
    public bool Min_is_commutative_and_never_later_than_either(long a, long b, bool aNone, bool bNone)
    {
        var x = aNone ? Deadline.None : Deadline.At(new Instant(a));
        var y = bNone ? Deadline.None : Deadline.At(new Instant(b));
        var min = Deadline.Min(x, y);
        bool notLater(Deadline d) => !d.HasValue || (min.HasValue && min.When <= d.When);
        return min == Deadline.Min(y, x) && notLater(x) && notLater(y) && (min == x || min == y);
    }

    [Property]
    public bool Remaining_is_never_negative_and_zero_exactly_when_expired(long when, long now)
    {
        // Instants count from the start of a run, so they are never negative.
        when &= long.MaxValue;
        now &= long.MaxValue;
        var d = Deadline.At(new Instant(when));
        var left = d.Remaining(new Instant(now))!.Value;
        return left >= TimeSpan.Zero && (left == TimeSpan.Zero) == d.IsExpired(new Instant(now));
    }
}
