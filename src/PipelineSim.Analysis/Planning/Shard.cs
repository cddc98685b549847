using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace PipelineSim.Analysis.Planning;

/// <summary>
/// One slice of a sweep: the cells (point × replication) whose index modulo <see cref="Count"/> is
/// <see cref="Index"/>. Interleaving spreads expensive points (large fleets) over every shard.
/// </summary>
public readonly record struct Shard(int Index, int Count)
{
    public static Shard Whole { get; } = new(0, 1);

    public bool IsWhole => Count == 1;

    public bool Includes(int cellIndex) => cellIndex % Count == Index;

    /// <summary><c>plan.shard-2-of-8</c>: the stem of a partial result's files.</summary>
    public string FileStem => string.Create(CultureInfo.InvariantCulture, $"plan.shard-{Index}-of-{Count}");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    /// <summary>Reads <c>i/n</c> with 0 ≤ i &lt; n, as a Kubernetes completion index or a Slurm array task id gives it.</summary>
    public static bool TryParse(string? text, out Shard shard, [NotNullWhen(false)] out string? error)
    {
        shard = Whole;
        error = null;
        string[] parts = (text ?? "").Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int count))
        {
            error = $"'{text}' is not a shard i/n such as 0/4";
            return false;
        }
        if (count < 1 || index >= count)
        {
            error = $"'{text}': a shard index is from 0 to n-1 (n at least 1)";
            return false;
        }
        shard = new Shard(index, count);
        return true;
    }
}
