using Google.Protobuf;
using PipelineSim.Core.Time;
using PipelineSim.Live.Wire;
using PipelineSim.Live.Writer;

namespace PipelineSim.Live.Harness;

/// <summary>
/// Runs a fleet's agents. An agent pushes synchronously, like a scrape loop calling Append: a push that runs long
/// delays the next one to the next interval tick after it ends (Go's ticker drops the ticks it missed).
/// </summary>
internal sealed class AgentFleet(string name, AgentFleetOptions options, IReadOnlyList<LiveWriter> writers, LiveContext context)
{
    private static readonly string[] ProfileTypes = ["process_cpu", "memory", "goroutine", "mutex", "block"];

    public string Name { get; } = name;

    public Task RunAsync(Instant start, Instant end, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Count).Select(i => RunAgentAsync(i, start, end, cancellationToken)));

    private async Task RunAgentAsync(int index, Instant start, Instant end, CancellationToken cancellationToken)
    {
        var clock = context.Clock;
        string source = $"{Name}-{index}";
        var random = context.RandomFor(source);
        var writer = writers[options.SharedWriter ? 0 : index];
        var interval = options.PushInterval;
        var first = start + (options.RandomPhase ? TimeSpan.FromTicks((long)(random.NextDouble() * interval.Ticks)) : TimeSpan.Zero);
        try
        {
            for (var due = first; due < end;)
            {
                await clock.DelayUntil(due, cancellationToken).ConfigureAwait(false);
                // The run's end stops the writer, which records the push in flight; cancelling it here instead would
                // record a cancellation the scenario never had.
                await writer.PushAsync(NewPush(source, random), new PushContext(source, Deadline.None), CancellationToken.None)
                    .ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested) return;
                var now = clock.Now;
                long ticksMissed = (now - first).Ticks / interval.Ticks;
                due = first + TimeSpan.FromTicks((ticksMissed + 1) * interval.Ticks);
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
            var profile = new byte[options.ProfileBytes.Sample(random)];
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
