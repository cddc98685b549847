using System.Globalization;

namespace PipelineSim.Core.Agents;

/// <summary>
/// How a fleet of agents is named and phased, for both drivers: names are the fleet's own for a single agent, else
/// <c>name-07</c> with the index padded to the widest index; each agent's first tick comes a phase after the fleet's
/// start, drawn uniformly below the phase jitter (the push interval unless set), one draw per agent in index order
/// from the fleet's phase stream.
/// </summary>
public static class AgentSchedule
{
    public static string AgentName(string fleet, int count, int index) => count == 1
        ? fleet
        : fleet + "-" + index.ToString("D" + Math.Max(1, (count - 1).ToString(CultureInfo.InvariantCulture).Length), CultureInfo.InvariantCulture);

    /// <param name="nextBelow">The driver's seeded draw: a uniform integer in [0, bound).</param>
    public static TimeSpan Phase(TimeSpan pushInterval, TimeSpan? phaseJitter, Func<long, long> nextBelow)
    {
        long jitter = (phaseJitter ?? pushInterval).Ticks;
        return TimeSpan.FromTicks(jitter > 0 ? nextBelow(jitter) : 0);
    }
}
