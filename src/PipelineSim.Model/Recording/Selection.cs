namespace PipelineSim.Model.Recording;

/// <summary>The k-th smallest value without sorting everything (Hoare's quickselect): percentiles of millions of latencies.</summary>
internal static class Selection
{
    /// <summary>Reorders <paramref name="values"/> and returns its <paramref name="k"/>-th smallest element (0-based).</summary>
    public static long Nth(long[] values, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, values.Length);
        int left = 0, right = values.Length - 1;
        while (left < right)
        {
            // Median of three as the pivot keeps sorted and reversed inputs linear.
            int mid = left + (right - left) / 2;
            long pivot = Median(values[left], values[mid], values[right]);
            int i = left, j = right;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j) right = j;
            else if (k >= i) left = i;
            else return values[k];
        }
        return values[k];
    }

    private static long Median(long a, long b, long c) => Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
}
