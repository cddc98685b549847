using PipelineSim.Scenarios;

namespace PipelineSim.Analysis.Planning;

/// <summary>A source whose fleet size the sweep varies: <c>--fleet agents=1000:5000:1000</c>.</summary>
public sealed record FleetSweep(string Source, IReadOnlyList<int> Sizes);

/// <summary>
/// One configuration a sweep simulates. <see cref="FleetSize"/> is null when the fleet is not swept (the scenario's
/// own count runs); <see cref="Replicas"/> is how many copies of the receiver share the load, and
/// <see cref="ConnLimit"/> is each copy's limit. <see cref="Setting"/> numbers the combination of varied knob values
/// (<see cref="PlanGrid.Setting"/>); 0 when no knob is varied.
/// </summary>
public sealed record PlanPoint(int Index, int ConnLimit, int? FleetSize, int Replicas, int Setting = 0)
{
    /// <summary>Points of one group differ only in conn_limit; a recommendation is made per group.</summary>
    public (int? FleetSize, int Replicas, int Setting) Group => (FleetSize, Replicas, Setting);
}

/// <summary>
/// The values a sweep tries: every conn_limit, for every combination of knob values, for every replica count, for
/// every fleet size. Points are numbered with conn_limit varying fastest, then the knob combination (its last knob
/// fastest), then replicas, then fleet size, so each group's points are consecutive and ascending in conn_limit.
/// </summary>
public sealed record PlanGrid(IReadOnlyList<int> ConnLimits, FleetSweep? Fleet, IReadOnlyList<int> Replicas)
{
    /// <summary>Scenario values varied besides conn_limit, fleet and replicas (<c>--vary</c>).</summary>
    public IReadOnlyList<KnobSweep> Knobs { get; init; } = [];

    /// <summary>How many combinations of knob values there are: the product of their value counts, 1 with none.</summary>
    public int SettingCount => Knobs.Aggregate(1, (n, k) => checked(n * k.Values.Count));

    /// <summary>The knob values of combination <paramref name="setting"/>, one per knob, as scenario overrides.</summary>
    public IReadOnlyList<ScenarioOverride> Setting(int setting)
    {
        var overrides = new ScenarioOverride[Knobs.Count];
        for (int k = Knobs.Count - 1; k >= 0; k--)
        {
            var values = Knobs[k].Values;
            overrides[k] = new ScenarioOverride(Knobs[k].Path, values[setting % values.Count]);
            setting /= values.Count;
        }
        return overrides;
    }

    /// <summary>"w1.remote_timeout=20s, w2.max_backoff_retries=3"; empty with no knob.</summary>
    public string SettingLabel(int setting) =>
        string.Join(", ", Setting(setting).Select((o, k) => $"{Knobs[k].ShortName}={o.Value}"));

    public IReadOnlyList<PlanPoint> Points()
    {
        var points = new List<PlanPoint>();
        IEnumerable<int?> fleets = Fleet is null ? [null] : Fleet.Sizes.Select(s => (int?)s);
        foreach (int? fleet in fleets)
        {
            foreach (int replicas in Replicas)
            {
                for (int setting = 0; setting < SettingCount; setting++)
                {
                    foreach (int limit in ConnLimits) points.Add(new PlanPoint(points.Count, limit, fleet, replicas, setting));
                }
            }
        }
        return points;
    }

    public int PointCount => ConnLimits.Count * Replicas.Count * (Fleet?.Sizes.Count ?? 1) * SettingCount;
}
