using System.Globalization;
using Google.Protobuf;
using PipelineSim.Core.Time;
using PipelineSim.Live.Wire;
using PipelineSim.Live.Writer;
using PipelineSim.Spec;

namespace PipelineSim.Live.Harness;

/// <summary>
/// Runs a fleet's agents. An agent pushes synchronously, like a scrape loop calling Append: a tick that comes while
/// its push still runs is skipped (Go's ticker drops the ticks it missed), so the next push waits for the next tick.
/// Agents are named and phased as the simulator names and phases them, from the same random stream.
/// </summary>
internal sealed class AgentFleet
{
    private static readonly string[] ProfileTypes = ["process_cpu", "memory", "goroutine", "mutex", "block"];

    private readonly AgentFleetOptions options;
    private readonly IReadOnlyList<LiveWriter> writers;
    private readonly LiveContext context;
    private readonly TimeSpan[] phases;
    private long pushes;
    private long profilesCreated;
    private long skippedTicks;

    public AgentFleet(string name, AgentFleetOptions options, IReadOnlyList<LiveWriter> writers, LiveContext context)
    {
        Name = name;
        this.options = options;
        this.writers = writers;
        this.context = context;
        // The model's draws: one stream per fleet, one offset per agent in index order.
        var stream = context.Stream("source/" + name + "/phase");
        long jitter = (options.PhaseJitter ?? options.PushInterval).Ticks;
        phases = [.. Enumerable.Range(0, options.Count).Select(_ => TimeSpan.FromTicks(jitter > 0 ? stream.NextInt64(jitter) : 0))];
    }

    public string Name { get; }

    public int Count => options.Count;

    public long Pushes => Interlocked.Read(ref pushes);

    public long ProfilesCreated => Interlocked.Read(ref profilesCreated);

    /// <summary>Ticks that found the agent's previous push still running (no push made for them).</summary>
    public long SkippedTicks => Interlocked.Read(ref skippedTicks);

    /// <summary>The simulator's agent names: the fleet's name for one agent, else <c>name-07</c> padded to the largest index.</summary>
    public static string AgentName(string fleet, int count, int index) => count == 1
        ? fleet
        : fleet + "-" + index.ToString("D" + Math.Max(1, (count - 1).ToString(CultureInfo.InvariantCulture).Length), CultureInfo.InvariantCulture);

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
        var writer = writers[options.SharedWriter ? 0 : index];
        var interval = options.PushInterval;
        try
        {
            long tick = 0;
            for (var due = first; due < stop;)
            {
                await clock.DelayUntil(due, cancellationToken).ConfigureAwait(false);
                var push = NewPush(source, random);
                Interlocked.Increment(ref pushes);
                Interlocked.Add(ref profilesCreated, push.Series.Count);
                var deadline = options.PushTimeout is TimeSpan timeout ? Deadline.After(clock.Now, timeout) : Deadline.None;
                // The run's end stops the writer, which records the push in flight; cancelling it here instead would
                // record a cancellation the scenario never had.
                await writer.PushAsync(push, new PushContext(source, deadline), CancellationToken.None).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested) return;
                long next = (clock.Now - first).Ticks / interval.Ticks + 1;
                // The ticks that came (before the stop) while the push ran were dropped.
                long lastTick = ((stop - first).Ticks - 1) / interval.Ticks;
                Interlocked.Add(ref skippedTicks, Math.Max(0, Math.Min(next - 1, lastTick) - tick));
                var nextDue = first + TimeSpan.FromTicks(next * interval.Ticks);
                (tick, due) = (next, nextDue);
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
