using PipelineSim.Model.Workloads;

namespace PipelineSim.Workloads;

/// <summary>
/// One row of issue 14's scale table: a fleet size and duration, its server side, and the wall time and peak memory
/// it should stay within (null: compared with another row instead).
/// </summary>
public sealed record ScaleCase(string Name, int Agents, TimeSpan Duration, FleetTier Tier, TimeSpan? WallTarget, long? MemoryTarget);

/// <summary>
/// The fleet sizes issue 14 sets targets for, side by side with today's 10,000-agent workload:
/// 100,000 agents for an hour with nothing saturated and with the default two receivers saturated, and a million
/// agents for ten minutes with nothing saturated. The events-per-second target (100,000 agents at least two thirds
/// of 10,000's) compares the first two rows.
/// </summary>
public static class ScaleCases
{
    private const long GiB = 1L << 30;

    /// <param name="shrink">Divides every row's agents (at least 1 each): a quick look at the table, not the figures.</param>
    public static IReadOnlyList<ScaleCase> All(int shrink = 1)
    {
        int Agents(int n) => Math.Max(1, n / shrink);
        var hour = TimeSpan.FromHours(1);
        return
        [
            new("10k", Agents(10_000), hour, FleetWorkload.DefaultTier, null, null),
            new("100k unsaturated", Agents(100_000), hour, FleetTier.Unsaturated(Agents(100_000)), TimeSpan.FromSeconds(60), 2 * GiB),
            // The saturated case is the 10,000-agent workload as it stands, ten times the agents: two receivers at
            // conn_limit 16384 and the same backend.
            new("100k saturated", Agents(100_000), hour, FleetWorkload.DefaultTier, TimeSpan.FromSeconds(90), 2 * GiB),
            new("1M unsaturated", Agents(1_000_000), TimeSpan.FromMinutes(10), FleetTier.Unsaturated(Agents(1_000_000)), TimeSpan.FromMinutes(5), 8 * GiB),
        ];
    }

    /// <summary>Issue 14: events per second at 100,000 agents at least two thirds of the figure at 10,000.</summary>
    public const double EventRateShareTarget = 2.0 / 3.0;
}
