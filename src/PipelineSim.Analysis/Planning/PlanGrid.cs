namespace PipelineSim.Analysis.Planning;

/// <summary>A source whose fleet size the sweep varies: <c>--fleet agents=1000:5000:1000</c>.</summary>
public sealed record FleetSweep(string Source, IReadOnlyList<int> Sizes);

/// <summary>
/// One configuration a sweep simulates. <see cref="FleetSize"/> is null when the fleet is not swept (the scenario's
/// own count runs); <see cref="Replicas"/> is how many copies of the receiver share the load, and
/// <see cref="ConnLimit"/> is each copy's limit.
/// </summary>
public sealed record PlanPoint(int Index, int ConnLimit, int? FleetSize, int Replicas)
{
    /// <summary>Points of one group differ only in conn_limit; a recommendation is made per group.</summary>
    public (int? FleetSize, int Replicas) Group => (FleetSize, Replicas);
}

/// <summary>
/// The values a sweep tries: every conn_limit, for every replica count, for every fleet size. Points are numbered
/// with conn_limit varying fastest, then replicas, then fleet size, so each group's points are consecutive and
/// ascending in conn_limit.
/// </summary>
public sealed record PlanGrid(IReadOnlyList<int> ConnLimits, FleetSweep? Fleet, IReadOnlyList<int> Replicas)
{
    public IReadOnlyList<PlanPoint> Points()
    {
        var points = new List<PlanPoint>();
        IEnumerable<int?> fleets = Fleet is null ? [null] : Fleet.Sizes.Select(s => (int?)s);
        foreach (int? fleet in fleets)
        {
            foreach (int replicas in Replicas)
            {
                foreach (int limit in ConnLimits) points.Add(new PlanPoint(points.Count, limit, fleet, replicas));
            }
        }
        return points;
    }

    public int PointCount => ConnLimits.Count * Replicas.Count * (Fleet?.Sizes.Count ?? 1);
}
