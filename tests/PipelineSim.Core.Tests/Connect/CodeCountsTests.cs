using PipelineSim.Core.Connect;

namespace PipelineSim.Core.Tests.Connect;

public class CodeCountsTests
{
    [Fact]
    public void Counts_read_out_by_wire_name_in_ordinal_order_without_zeros()
    {
        var counts = new CodeCounts();
        counts.Add(ConnectCode.Unavailable);
        counts.Add(ConnectCode.DeadlineExceeded, 3);
        counts.Add(ConnectCode.Unavailable, 2);
        counts.Add(ConnectCode.Canceled, 0);

        Assert.Equal(
            [new("deadline_exceeded", 3L), new("unavailable", 3L)],
            counts.ByName().ToList());
        Assert.Equal(3, counts[ConnectCode.Unavailable]);
        Assert.Equal(0, counts[ConnectCode.Ok]);
    }

    [Fact]
    public void A_code_outside_the_table_counts_as_unknown()
    {
        var counts = new CodeCounts();
        counts.Add((ConnectCode)99);
        Assert.Equal(1, counts[ConnectCode.Unknown]);
        Assert.Equal(1, counts[(ConnectCode)99]);
    }

    [Fact]
    public void Count_covers_every_code() =>
        Assert.Equal(Enum.GetValues<ConnectCode>().Length, ConnectCodes.Count);
}
