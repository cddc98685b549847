using PipelineSim.Core.Agents;
using PipelineSim.Core.Time;
using PipelineSim.Kernel;
using PipelineSim.Model.Http;
using PipelineSim.Model.Net;
using PipelineSim.Model.Runtime;
using PipelineSim.Spec;

namespace PipelineSim.Model.Components;

/// <summary>
/// The agents of one source, named and phased by Core's <see cref="AgentSchedule"/>: each ticks every push interval
/// from its own phase and pushes one batch per tick (<see cref="AgentTicker"/>), or, for Poisson arrivals, pushes at
/// exponential gaps drawn from the source's arrivals stream (<see cref="PoissonArrivals"/>).
/// </summary>
internal sealed class AgentFleet
{
    public AgentFleet(World world, SourceSpec spec, WriterComponent writer)
    {
        World = world;
        Spec = spec;
        Random = world.Random["source/" + spec.Name];
        Interval = spec.PushInterval.Ticks;
        Stop = Math.Min(spec.Stop?.Ticks ?? long.MaxValue, world.End);
        Timeout = spec.FixedPushTimeout;
        if (spec.PushTimeout is { } timeout && Timeout is null)
        {
            var timeouts = world.Random["source/" + spec.Name + "/push_timeout"];
            DrawTimeout = () => timeout.Sample(timeouts);
        }
        var phases = world.Random["source/" + spec.Name + "/phase"];
        Func<long, long> nextBelow = phases.NextInt64;
        Func<double>? nextGap = spec.Arrivals == ArrivalProcess.Poisson ? world.Random["source/" + spec.Name + "/arrivals"].NextDouble : null;
        Agents = new Agent[spec.Count];
        for (int i = 0; i < spec.Count; i++)
        {
            string name = AgentSchedule.AgentName(spec.Name, spec.Count, i);
            var instance = spec.Writer == WriterSharing.Shared ? writer.Shared : writer.NewInstance();
            IAgentSchedule schedule = nextGap is null
                ? new AgentTicker(Instant.FromTimeSpan(spec.Start + AgentSchedule.Phase(spec.PushInterval, spec.PhaseJitter, nextBelow)),
                    spec.PushInterval, new Instant(Stop))
                : new PoissonArrivals(Instant.FromTimeSpan(spec.Start), spec.PushInterval, new Instant(Stop), nextGap);
            Agents[i] = new Agent(this, name, instance, schedule);
            world.Sim.ScheduleAt(schedule.First.Ticks, Agents[i], Agent.TickToken);
        }
    }

    public World World { get; }

    public SourceSpec Spec { get; }

    public RandomStream Random { get; }

    public long Interval { get; }

    public long Stop { get; }

    /// <summary>The push timeout of every push: the constant, or null for none or when drawn per push.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>Draws one push's timeout in seconds when the source's timeout is a distribution; null otherwise.</summary>
    public Func<double>? DrawTimeout { get; }

    public Agent[] Agents { get; }

    /// <summary>Ticks that made no push (see <see cref="SourceResult.SkippedTicks"/>), as the agents' Core schedules counted them.</summary>
    public long SkippedTicks => Agents.Sum(a => a.SkippedTicks);

    public long Pushes { get; set; }

    public long ProfilesCreated { get; set; }
}

/// <summary>One agent: Core's schedule (<see cref="AgentTicker"/> or <see cref="PoissonArrivals"/>) in virtual time, one
/// push per tick it answers Push to, and one when a push ends with a tick held.</summary>
internal sealed class Agent : ITimerHandler, IPushCaller
{
    private readonly AgentFleet fleet;
    private readonly string name;
    private readonly WriterInstance writer;
    private readonly IAgentSchedule schedule;
    private readonly IRequestTransport transport;

    public Agent(AgentFleet fleet, string name, WriterInstance writer, IAgentSchedule schedule)
    {
        this.fleet = fleet;
        this.name = name;
        this.writer = writer;
        transport = writer.Transports[0];
        this.schedule = schedule;
    }

    public long SkippedTicks => schedule.SkippedTicks;

    internal const long TickToken = 0, HeldPushToken = 1;

    /// <summary>
    /// A tick or a held push is due: it reads the schedule, its writer, the writer's transport and that one's pool
    /// and idle connection. The transport is held here for this only, one reference nearer than through the writer.
    /// </summary>
    public void Prefetch(long token, int depth)
    {
        switch (depth)
        {
            case 0:
                CacheHint.Prefetch(schedule);
                CacheHint.Prefetch(writer);
                CacheHint.Prefetch(transport, HotBytes.Transport);
                break;
            case 1:
                CacheHint.Prefetch(writer.Transports);
                transport.Prefetch(0);
                break;
            default:
                transport.Prefetch(depth - 1);
                break;
        }
    }

    public void PrefetchWriteDone(int depth)
    {
        if (depth == 0) CacheHint.Prefetch(schedule);
    }

    public void OnTimer(long token)
    {
        var world = fleet.World;
        if (token == HeldPushToken)
        {
            StartPush();
            return;
        }
        var tick = schedule.OnTick(world.Instant);
        if (tick.Kind == AgentTickKind.Stopped) return;
        world.Sim.ScheduleAt(tick.Next.Ticks, this, TickToken);
        if (tick.Kind == AgentTickKind.Push) StartPush();
    }

    /// <summary>
    /// A push ended; a tick held while it ran starts the next one at this instant, as an event of its own so that
    /// whatever the ending push still does now (its connection back to the pool) happens first, as in Go, where
    /// <c>Append</c> returns only after the response is read.
    /// </summary>
    public void OnWriteDone(WritePush push)
    {
        var world = fleet.World;
        if (schedule.OnPushDone(world.Instant)) world.Sim.ScheduleAt(world.Now, this, HeldPushToken);
    }

    private void StartPush()
    {
        var world = fleet.World;
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
        var parent = fleet.Timeout is TimeSpan timeout ? Deadline.After(world.Instant, timeout)
            : fleet.DrawTimeout is { } draw ? Deadline.After(world.Instant, SourceSpec.ToPushTimeout(draw()))
            : Deadline.None;
        writer.Push(this, new Payload(batch, 0, batch.Profiles, batch.TotalBytes, -1), parent, null);
    }

    private long DrawSize() => SourceSpec.ToProfileBytes(fleet.Spec.ProfileBytes.Sample(fleet.Random));
}
