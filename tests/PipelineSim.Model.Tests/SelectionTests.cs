using FsCheck.Xunit;
using PipelineSim.Model.Recording;

namespace PipelineSim.Model.Tests;

public class SelectionTests
{
    [Property]
    public bool The_nth_value_is_the_one_a_sort_puts_there(long[] values, int seed)
    {
        if (values.Length == 0) return true;
        int k = Math.Abs(seed % values.Length);
        var sorted = values.Order().ToArray();
        return Selection.Nth([.. values], k) == sorted[k];
    }

    [Fact]
    public void Works_on_sorted_reversed_and_constant_runs()
    {
        var sorted = Enumerable.Range(0, 10_000).Select(i => (long)i).ToArray();
        Assert.Equal(4_999, Selection.Nth([.. sorted], 4_999));
        Assert.Equal(9_899, Selection.Nth([.. sorted.Reverse()], 9_899));
        Assert.Equal(7, Selection.Nth(Enumerable.Repeat(7L, 1000).ToArray(), 500));
    }
}
