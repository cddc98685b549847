using PipelineSim.Model.Recording;

namespace PipelineSim.Model.Tests;

public class ChunkedLongListTests
{
    [Fact]
    public void An_empty_list_has_no_values()
    {
        var list = new ChunkedLongList();
        Assert.Equal(0, list.Count);
        Assert.Empty(list.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => list[0]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(ChunkedLongList.ChunkSize - 1)]
    [InlineData(ChunkedLongList.ChunkSize)]
    [InlineData(ChunkedLongList.ChunkSize + 1)]
    [InlineData(3 * ChunkedLongList.ChunkSize + 17)]
    public void Keeps_every_value_in_order_across_chunk_boundaries(int count)
    {
        var list = new ChunkedLongList();
        var expected = new long[count];
        for (int i = 0; i < count; i++)
        {
            expected[i] = (long)i * 7_919 - 1_000_000_000_000; // negative and beyond int range too
            list.Add(expected[i]);
        }
        Assert.Equal(count, list.Count);
        Assert.Equal(expected, list.ToArray());
        Assert.Equal(expected[0], list[0]);
        Assert.Equal(expected[count - 1], list[count - 1]);
        Assert.Equal(expected[count / 2], list[count / 2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[count]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[-1]);
    }

    [Fact]
    public void Each_array_is_a_copy()
    {
        var list = new ChunkedLongList();
        list.Add(5);
        var first = list.ToArray();
        first[0] = 9;
        list.Add(6);
        Assert.Equal([5, 6], list.ToArray());
    }
}
