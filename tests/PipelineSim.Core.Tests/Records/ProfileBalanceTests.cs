using PipelineSim.Core.Records;

namespace PipelineSim.Core.Tests.Records;

public class ProfileBalanceTests
{
    private static ProfileBalance Books(long created) => new()
    {
        Created = created,
        Delivered = 90,
        DroppedByCode = new Dictionary<string, long> { ["deadline_exceeded"] = 6, ["unavailable"] = 1 },
        InFlight = 3,
    };

    [Fact]
    public void Created_equals_delivered_plus_dropped_plus_in_flight_when_nothing_is_lost()
    {
        var books = Books(100);
        Assert.Equal(7, books.Dropped);
        Assert.Equal(0, books.Unaccounted);
        Assert.True(books.Holds);
        Assert.Equal("created 100 = delivered 90 + dropped 7 + in flight 3", books.ToString());
    }

    [Fact]
    public void Profiles_lost_or_invented_show_as_unaccounted()
    {
        Assert.Equal(2, Books(102).Unaccounted);
        Assert.Equal(-1, Books(99).Unaccounted);
        Assert.False(Books(99).Holds);
        Assert.EndsWith("(unaccounted -1)", Books(99).ToString());
    }
}
