using System.Runtime;

namespace PipelineSim.Model;

/// <summary>
/// A long simulation is a batch job: its managed heap grows with the fleet (every agent's writer, connections and
/// timers stay live for the whole run) and nobody waits on a pause. The default background collector then costs more
/// than it saves: on 100,000 agents x 5 min (bench model, 2 cores shared) blocking collections paused the run 7-13 s
/// against 23 s, with the same allocations. Process-wide, so only commands whose process is one simulation call it
/// (<c>run</c>, <c>bench model</c>), never the live drivers, whose servers' latency is what they measure.
/// </summary>
public static class BatchGc
{
    public static void Use() => GCSettings.LatencyMode = GCLatencyMode.Batch;
}
