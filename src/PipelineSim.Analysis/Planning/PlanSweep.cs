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

    /// <summary>Equal in everything but the shard: the same sweep. Lists compare by content.</summary>
    public bool SameSweepAs(PlanSweep other, out string difference)
    {
        (string Name, string Mine, string Theirs)[] fields =
        [
            ("scenario hash", ScenarioSha256, other.ScenarioSha256),
            ("receiver", Receiver, other.Receiver),
            ("conn_limit grid", IntegerGrid.Format(Grid.ConnLimits), IntegerGrid.Format(other.Grid.ConnLimits)),
            ("fleet grid", FleetText(Grid.Fleet), FleetText(other.Grid.Fleet)),
            ("replicas grid", IntegerGrid.Format(Grid.Replicas), IntegerGrid.Format(other.Grid.Replicas)),
            ("replications", Replications.ToString(System.Globalization.CultureInfo.InvariantCulture),
                other.Replications.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("seed", BaseSeed.ToString(System.Globalization.CultureInfo.InvariantCulture), other.BaseSeed.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("duration", Core.Time.GoDuration.Format(Duration), Core.Time.GoDuration.Format(other.Duration)),
            ("SLOs", string.Join(" ", Slos), string.Join(" ", other.Slos)),
            ("headroom", Headroom.ToString("R", System.Globalization.CultureInfo.InvariantCulture), other.Headroom.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
            ("per-instance ceiling", PerInstanceCeiling?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none",
                other.PerInstanceCeiling?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"),
            ("scenario", Scenario, other.Scenario),
        ];
        foreach (var (name, mine, theirs) in fields)
        {
            if (mine == theirs) continue;
            difference = $"{name}: {mine} vs {theirs}";
            return false;
        }
        difference = "";
        return true;
    }

    internal static string FleetText(FleetSweep? fleet) => fleet is null ? "none" : $"{fleet.Source}={IntegerGrid.Format(fleet.Sizes)}";
}

/// <summary>One run of a sweep: a point, a replication, and that replication's seed.</summary>
public sealed record PlanCell(int Index, PlanPoint Point, int Replication, ulong Seed);
