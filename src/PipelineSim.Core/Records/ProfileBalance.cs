namespace PipelineSim.Core.Records;

/// <summary>
/// The profile books as every summary states them: each profile a source creates is counted once per endpoint of the
/// writer it is handed to (the first hop), and each of those first-hop pushes ends delivered, dropped (by the Connect
/// code of its last attempt) or still in flight at the end: <c>Created = Delivered + Dropped + InFlight</c>.
/// </summary>
public record ProfileBalance
{
    public required long Created { get; init; }

    public required long Delivered { get; init; }

    /// <summary>Dropped profiles by the code that dropped them, keyed by wire name in ordinal order (<see cref="Connect.CodeCounts.ByName"/>).</summary>
    public required IReadOnlyDictionary<string, long> DroppedByCode { get; init; }

    public required long InFlight { get; init; }

    public long Dropped => DroppedByCode.Values.Sum();

    /// <summary>Created minus everything accounted for: 0 when nothing was lost or invented.</summary>
    public long Unaccounted => Created - Delivered - Dropped - InFlight;

    public bool Holds => Unaccounted == 0;

    public sealed override string ToString() =>
        $"created {Created} = delivered {Delivered} + dropped {Dropped} + in flight {InFlight}" +
        (Holds ? "" : $" (unaccounted {Unaccounted})");
}
