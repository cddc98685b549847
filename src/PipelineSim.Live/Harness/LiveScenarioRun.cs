using System.Diagnostics;
using PipelineSim.Core.Records;
using PipelineSim.Spec;

namespace PipelineSim.Live.Harness;

/// <summary>How to run a scenario live: the time scale, and overrides of the spec's seed and duration.</summary>
public sealed record LiveScenarioOptions
{
    /// <summary>Wall seconds per scenario second (0.05 runs 20 minutes of scenario in one minute).</summary>
    public double TimeScale { get; init; } = 0.05;

    /// <summary>Replaces the spec's seed.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Replaces the spec's duration.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Serves every component's metrics on one loopback <c>/metrics</c> port while the run lasts.</summary>
    public bool ServeMetrics { get; init; }

    /// <summary>Where the run's clock reads time and sets its timers (null: the system's); see <see cref="LiveRunOptions.Time"/>.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>Called about ten times a wall second with the share of the run done (0 to 1), off the caller's thread.</summary>
    public Action<double>? Progress { get; init; }

    /// <summary>Where components report trouble they ride out (accept backing off at the descriptor limit), from any thread.</summary>
    public Action<string>? Warn { get; init; }
}

/// <summary>What a live run established beside its records: the figures the simulator reports for the same parts.</summary>
public sealed record LiveRunResult
{
    public required string Scenario { get; init; }

    public required ulong Seed { get; init; }

    /// <summary>Scenario time run.</summary>
    public required TimeSpan Duration { get; init; }

    public required double TimeScale { get; init; }

    /// <summary>Real time the agents ran.</summary>
    public required TimeSpan WallTime { get; init; }

    public required IReadOnlyList<ReceiverStats> Receivers { get; init; }

    public required IReadOnlyList<SourceResult> Sources { get; init; }

    public required IReadOnlyList<BackendResult> Backends { get; init; }

    /// <summary>Profiles the agents created, once per first-hop writer endpoint (the conservation line's "created").</summary>
    public required long FirstHopProfilesCreated { get; init; }

    /// <summary>
    /// The latest a 100 ms timer of the run fired (real time): how long the process was held back at worst. Divided by
    /// the time scale, it is how far the run's timing may have slipped in scenario time.
    /// </summary>
    public required TimeSpan WorstTimerLateness { get; init; }
}

/// <summary>
/// Runs a scenario's spec with real components on loopback (ports chosen by the kernel), time scaled, streaming the
/// same records the simulator streams to a sink: the engine behind <c>pipelinesim live</c> and <c>compare</c>.
/// </summary>
public static class LiveScenarioRun
{
    /// <summary>Throws a <see cref="SpecException"/> listing everything the live side cannot run (see <see cref="LiveTopology.Check"/>).</summary>
    public static async Task<LiveRunResult> RunAsync(PipelineSpec spec, LiveScenarioOptions options, IRecordSink sink,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        var duration = options.Duration ?? spec.Duration;
        if (duration <= TimeSpan.Zero) throw new SpecException([new SpecProblem("duration", "must be positive")]);
        ulong seed = options.Seed ?? spec.Seed;
        var runOptions = new LiveRunOptions
        {
            TimeScale = options.TimeScale,
            Seed = seed,
            SampleStep = spec.SampleStep,
            ServeMetrics = options.ServeMetrics,
            Warn = options.Warn,
            Time = options.Time,
        };
        // Problems first, before the warm-up spends a second: a scenario live cannot run is refused at once.
        var builder = LiveTopology.FromSpec(spec, runOptions, sink);
        await LiveWarmup.EnsureAsync().ConfigureAwait(false);

        await using var pipeline = await builder.StartAsync(cancellationToken).ConfigureAwait(false);
        using var watching = new CancellationTokenSource();
        var watcher = WatchAsync(pipeline, duration, options.Progress, watching.Token);
        var wall = Stopwatch.StartNew();
        try
        {
            await pipeline.RunAsync(duration, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await watching.CancelAsync().ConfigureAwait(false);
        }
        var lateness = await watcher.ConfigureAwait(false);
        options.Progress?.Invoke(1);
        return new LiveRunResult
        {
            Scenario = spec.Name,
            Seed = seed,
            Duration = duration,
            TimeScale = options.TimeScale,
            WallTime = wall.Elapsed,
            Receivers = pipeline.ReceiverStats(),
            Sources = pipeline.SourceResults(),
            Backends = pipeline.BackendResults(),
            FirstHopProfilesCreated = pipeline.FirstHopProfilesCreated(),
            WorstTimerLateness = lateness,
        };
    }

    /// <summary>Reports progress every 100 ms of real time and measures how late those timers fire.</summary>
    private static async Task<TimeSpan> WatchAsync(LivePipeline pipeline, TimeSpan duration, Action<double>? report, CancellationToken stop)
    {
        var step = TimeSpan.FromMilliseconds(100);
        var worst = TimeSpan.Zero;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                report?.Invoke(Math.Clamp(pipeline.Elapsed / duration, 0, 1));
                long before = Stopwatch.GetTimestamp();
                await Task.Delay(step, stop).ConfigureAwait(false);
                var late = Stopwatch.GetElapsedTime(before) - step;
                if (late > worst) worst = late;
            }
        }
        catch (OperationCanceledException)
        {
        }
        return worst;
    }
}
