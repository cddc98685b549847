using System.Globalization;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Planning;

/// <summary>
/// Everything that decides a sweep's results: the scenario (by path and content hash), the receiver, the grid, the
/// replications and seed, the simulated duration, and what the results are judged by. Every shard of a sweep carries
/// the same sweep, which is how <c>plan merge</c> knows the partial results belong together.
/// </summary>
public sealed record PlanSweep
{
    /// <summary>The scenario file as given on the command line.</summary>
    public required string Scenario { get; init; }

    public required string ScenarioName { get; init; }

    /// <summary>SHA-256 of the scenario file's bytes, lowercase hex.</summary>
    public required string ScenarioSha256 { get; init; }

    public required string Receiver { get; init; }

    public required PlanGrid Grid { get; init; }

    public required int Replications { get; init; }

    public required ulong BaseSeed { get; init; }

    /// <summary>Simulated time per run.</summary>
    public required TimeSpan Duration { get; init; }

    public required IReadOnlyList<Slo> Slos { get; init; }

    /// <summary>The recommended conn_limit is the smallest that meets every SLO times this, rounded up.</summary>
    public double Headroom { get; init; } = DefaultHeadroom;

    /// <summary>The most connections one receiver instance may be given; null when there is no ceiling.</summary>
    public int? PerInstanceCeiling { get; init; }

    public const double DefaultHeadroom = 1.5;

    public int CellCount => Grid.PointCount * Replications;

    /// <summary>Every run of the sweep, in cell order: point-major, replication-minor.</summary>
    public IReadOnlyList<PlanCell> Cells()
    {
        var cells = new List<PlanCell>(CellCount);
        foreach (var point in Grid.Points())
        {
            for (int r = 0; r < Replications; r++)
                cells.Add(new PlanCell(cells.Count, point, r, PlanSeeds.ForReplication(BaseSeed, r)));
        }
        return cells;
    }

    /// <summary>
    /// True when <paramref name="other"/> is the same sweep, field by field as its manifest writes it; otherwise
    /// <paramref name="difference"/> names the first field that differs and both values.
    /// </summary>
    public bool SameSweepAs(PlanSweep other, out string difference)
    {
        var mine = Fields();
        var theirs = other.Fields();
        for (int i = 0; i < mine.Count; i++)
        {
            if (mine[i].Value == theirs[i].Value) continue;
            difference = $"{mine[i].Name}: {mine[i].Value} vs {theirs[i].Value}";
            return false;
        }
        difference = "";
        return true;
    }

    /// <summary>Every field that identifies the sweep, as invariant text, in a fixed order.</summary>
    private List<(string Name, string Value)> Fields() =>
    [
        ("scenario hash", ScenarioSha256),
        ("receiver", Receiver),
        ("conn_limit grid", IntegerGrid.Format(Grid.ConnLimits)),
        ("fleet grid", FleetText(Grid.Fleet)),
        ("replicas grid", IntegerGrid.Format(Grid.Replicas)),
        ("knobs", string.Join(" ", Grid.Knobs.Select(k => $"{k.Path}={string.Join(",", k.Values)}:{k.Preference}"))),
        ("replications", Replications.ToString(CultureInfo.InvariantCulture)),
        ("seed", BaseSeed.ToString(CultureInfo.InvariantCulture)),
        ("duration", GoDuration.Format(Duration)),
        ("SLOs", string.Join(" ", Slos)),
        ("headroom", Headroom.ToString("R", CultureInfo.InvariantCulture)),
        ("per-instance ceiling", PerInstanceCeiling?.ToString(CultureInfo.InvariantCulture) ?? "none"),
        ("scenario", Scenario),
    ];

    internal static string FleetText(FleetSweep? fleet) => fleet is null ? "none" : $"{fleet.Source}={IntegerGrid.Format(fleet.Sizes)}";
}

/// <summary>One run of a sweep: a point, a replication, and that replication's seed.</summary>
public sealed record PlanCell(int Index, PlanPoint Point, int Replication, ulong Seed);
