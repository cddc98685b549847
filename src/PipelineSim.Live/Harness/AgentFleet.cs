using Google.Protobuf;
using PipelineSim.Core.Agents;
using PipelineSim.Core.Time;
using PipelineSim.Live.Wire;
using PipelineSim.Live.Writer;
using PipelineSim.Spec;

namespace PipelineSim.Live.Harness;

/// <summary>
/// Runs a fleet's agents. An agent pushes synchronously, like a scrape loop calling Append: a tick that comes while
/// its push still runs is skipped (Go's ticker drops the ticks it missed), so the next push waits for the next tick.
/// Agents are named and phased as the simulator names and phases them, from the same random stream, and read the
/// scenario's own <see cref="SourceSpec"/> (its defaults and validation are the simulator's).
/// </summary>
internal sealed class AgentFleet
{
    private static readonly string[] ProfileTypes = ["process_cpu", "memory", "goroutine", "mutex", "block"];

    private readonly SourceSpec options;
    private readonly IReadOnlyList<LiveWriter> writers;
    private readonly LiveContext context;
    private readonly TimeSpan[] phases;
    private long pushes;
    private long profilesCreated;
    private readonly AgentTicker?[] tickers;

    public AgentFleet(SourceSpec options, IReadOnlyList<LiveWriter> writers, LiveContext context)
    {
        Name = options.Name;
        this.options = options;
        this.writers = writers;
        this.context = context;
        // The model's draws: one stream per fleet, one offset per agent in index order.
        var stream = context.Stream("source/" + Name + "/phase");
        phases = [.. Enumerable.Range(0, options.Count).Select(_ => AgentSchedule.Phase(options.PushInterval, options.PhaseJitter, stream.NextInt64))];
        tickers = new AgentTicker?[options.Count];
    }

    public string Name { get; }

    public int Count => options.Count;

    /// <summary>When each agent pushes first, from the run's start: the fleet's start plus the agent's phase.</summary>
    public IReadOnlyList<TimeSpan> FirstPushes => [.. phases.Select(phase => options.Start + phase)];

    public long Pushes => Interlocked.Read(ref pushes);

    public long ProfilesCreated => Interlocked.Read(ref profilesCreated);

    /// <summary>Ticks that made no push (see <see cref="SourceResult.SkippedTicks"/>), as the agents' Core tickers counted them.</summary>
    public long SkippedTicks
    {
        get
        {
            lock (tickers) return tickers.Sum(t => t?.SkippedTicks ?? 0);
        }
    }

    /// <summary>The simulator's agent names (Core's <see cref="AgentSchedule.AgentName"/>).</summary>
    public static string AgentName(string fleet, int count, int index) => AgentSchedule.AgentName(fleet, count, index);

    public Task RunAsync(Instant start, Instant end, CancellationToken cancellationToken)
    {
        var stop = options.Stop is TimeSpan s ? Instant.Min(end, start + s) : end;
        return Task.WhenAll(Enumerable.Range(0, options.Count).Select(i => RunAgentAsync(i, start + options.Start + phases[i], stop, cancellationToken)));
    }

    private async Task RunAgentAsync(int index, Instant first, Instant stop, CancellationToken cancellationToken)
    {
        var clock = context.Clock;
        string source = AgentName(Name, options.Count, index);
        var random = context.Stream("source/" + source);
        var writer = writers[options.Writer == WriterSharing.Shared ? 0 : index];
        var ticker = new AgentTicker(first, options.PushInterval, stop);
        lock (tickers) tickers[index] = ticker;
        try
        {
            for (Instant? due = first < stop ? first : null; due is Instant at;)
            {
                await clock.DelayUntil(at, cancellationToken).ConfigureAwait(false);
                var push = NewPush(source, random);
                Interlocked.Increment(ref pushes);
                Interlocked.Add(ref profilesCreated, push.Series.Count);
                var deadline = options.FixedPushTimeout is TimeSpan timeout ? Deadline.After(clock.Now, timeout) : Deadline.None;
                // The run's end stops the writer, which records the push in flight; cancelling it here instead would
                // record a cancellation the scenario never had.
                await writer.PushAsync(push, new PushContext(source, deadline), CancellationToken.None).ConfigureAwait(false);
                // A push the run's end cut short is in flight, as in the model, whose in-flight push never reports its
                // end: a tick it held is then neither pushed nor counted. The writer stops before the token fires.
                if (cancellationToken.IsCancellationRequested || writer.StoppedAt <= clock.Now) return;
                lock (tickers) due = ticker.NextTickAfterPush(clock.Now);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private PushRequest NewPush(string source, Random random)
    {
        var push = new PushRequest();
        for (int p = 0; p < options.ProfilesPerPush; p++)
        {
            var profile = new byte[SourceSpec.ToProfileBytes(options.ProfileBytes.Sample(random))]; // the model's rounding
            random.NextBytes(profile);
            push.Series.Add(new RawProfileSeries
            {
                Labels =
                {
                    new LabelPair { Name = "__name__", Value = ProfileTypes[p % ProfileTypes.Length] },
                    new LabelPair { Name = "service_name", Value = source },
                },
                Samples = { new RawSample { RawProfile = ByteString.CopyFrom(profile) } },
            });
        }
        return push;
    }
}
