namespace PipelineSim.Core.Connect;

/// <summary>
/// A count per Connect code: how pushes failed, how attempts ended, why profiles were dropped. Every summary reads it
/// out the same way, by wire name in ordinal order without the zero counts (<see cref="ByName"/>), so the simulator's
/// figures and those summed from the records compare equal.
/// </summary>
public sealed class CodeCounts
{
    private readonly long[] counts = new long[ConnectCodes.Count];

    public long this[ConnectCode code] => counts[Index(code)];

    /// <summary>Adds <paramref name="by"/> to <paramref name="code"/>'s count; a code outside connect-go's table counts as unknown.</summary>
    public void Add(ConnectCode code, long by = 1) => counts[Index(code)] += by;

    /// <summary>The non-zero counts keyed by wire name (<c>deadline_exceeded</c>), names in ordinal order.</summary>
    public IReadOnlyDictionary<string, long> ByName()
    {
        var byName = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] != 0) byName.Add(ConnectCodes.Name((ConnectCode)i), counts[i]);
        }
        return byName;
    }

    private static int Index(ConnectCode code) => (uint)code < (uint)ConnectCodes.Count ? (int)code : (int)ConnectCode.Unknown;
}
