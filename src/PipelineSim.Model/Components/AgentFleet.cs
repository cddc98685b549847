using System.Globalization;
using PipelineSim.Core.Time;
using PipelineSim.Kernel;
using PipelineSim.Model.Net;
using PipelineSim.Model.Runtime;
using PipelineSim.Spec;

namespace PipelineSim.Model.Components;

/// <summary>The agents of one source: each ticks every push interval from its own phase and pushes one batch per tick.</summary>
internal sealed class AgentFleet
{
    public AgentFleet(World world, SourceSpec spec, WriterComponent writer)
    {
        World = world;
        Spec = spec;
        Random = world.Random["source/" + spec.Name];
        Interval = spec.PushInterval.Ticks;
        Stop = Math.Min(spec.Stop?.Ticks ?? long.MaxValue, world.End);
        Timeout = spec.PushTimeout;
        var phases = world.Random["source/" + spec.Name + "/phase"];
        long jitter = (spec.PhaseJitter ?? spec.PushInterval).Ticks;
        string width = "D" + Math.Max(1, (spec.Count - 1).ToString(CultureInfo.InvariantCulture).Length).ToString(CultureInfo.InvariantCulture);
        Agents = new Agent[spec.Count];
        for (int i = 0; i < spec.Count; i++)
        {
            string name = spec.Count == 1 ? spec.Name : spec.Name + "-" + i.ToString(width, CultureInfo.InvariantCulture);
            var instance = spec.Writer == WriterSharing.Shared ? writer.Shared : writer.NewInstance();
            Agents[i] = new Agent(this, name, instance);
            long phase = jitter > 0 ? phases.NextInt64(jitter) : 0;
            world.Sim.ScheduleAt(spec.Start.Ticks + phase, Agents[i], 0);
        }
    }

    public World World { get; }

    public SourceSpec Spec { get; }

    public RandomStream Random { get; }

    public long Interval { get; }

    public long Stop { get; }

    public TimeSpan? Timeout { get; }

    public Agent[] Agents { get; }

    public long SkippedTicks { get; set; }

    public long Pushes { get; set; }

    public long ProfilesCreated { get; set; }
}

/// <summary>One agent: a ticker; a tick that comes while its previous push still runs is skipped, like Go's ticker.</summary>
internal sealed class Agent : ITimerHandler, IPushCaller
{
    private readonly AgentFleet fleet;
    private readonly string name;
    private readonly WriterInstance writer;
    private bool busy;

    public Agent(AgentFleet fleet, string name, WriterInstance writer)
    {
        this.fleet = fleet;
        this.name = name;
        this.writer = writer;
    }

    public void OnTimer(long token)
    {
        var world = fleet.World;
        long now = world.Now;
        if (now >= fleet.Stop) return;
        world.Sim.ScheduleAt(now + fleet.Interval, this, 0);
        if (busy)
        {
            fleet.SkippedTicks++;
            return;
        }
        busy = true;
        var spec = fleet.Spec;
        SourceBatch batch;
        if (spec.ProfilesPerPush == 1) batch = new SourceBatch(world.NextBatchId(), name, DrawSize());
        else
        {
            var sizes = new long[spec.ProfilesPerPush];
            for (int i = 0; i < sizes.Length; i++) sizes[i] = DrawSize();
            batch = new SourceBatch(world.NextBatchId(), name, sizes);
        }
        fleet.Pushes++;
        fleet.ProfilesCreated += batch.Profiles;
        var parent = fleet.Timeout is TimeSpan timeout ? Deadline.After(world.Instant, timeout) : Deadline.None;
        writer.Push(this, new Payload(batch, 0, batch.Profiles, batch.TotalBytes, -1), parent, null);
    }

    private long DrawSize() => SourceSpec.ToProfileBytes(fleet.Spec.ProfileBytes.Sample(fleet.Random));

    public void OnWriteDone(WritePush push) => busy = false;
}
