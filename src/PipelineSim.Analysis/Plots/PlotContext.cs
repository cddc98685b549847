using PipelineSim.Core.Time;
using PipelineSim.Spec;

namespace PipelineSim.Analysis.Plots;

/// <summary>A fault of the scenario as the time plots mark it: a window, or an instant when it has no duration.</summary>
public sealed record FaultWindow(string Label, TimeSpan Start, TimeSpan End)
{
    public bool IsInstant => End <= Start;
}

/// <summary>
/// What the records alone do not say about a run, and an incident review wants on every plot: which scenario and seed
/// (in the titles), how long it ran (every time axis spans the whole run, not just where something happened) and when
/// its faults struck (marked on every time plot): the scenario's <c>faults:</c> and its backends' <c>outages:</c>. Records without it still plot, with the span they show.
/// </summary>
public sealed record PlotContext
{
    public string? ScenarioName { get; init; }

    public ulong? Seed { get; init; }

    /// <summary>The simulated (or live) length of the run; null to take the last record's time.</summary>
    public TimeSpan? Duration { get; init; }

    public IReadOnlyList<FaultWindow> Faults { get; init; } = [];

    public static PlotContext None { get; } = new();

    /// <summary>The context of a run of <paramref name="spec"/> with the seed and duration it ran with.</summary>
    public static PlotContext For(PipelineSpec spec, ulong seed, TimeSpan duration) => new()
    {
        ScenarioName = spec.Name,
        Seed = seed,
        Duration = duration,
        Faults =
        [
            .. spec.Faults.Select(fault => Window(fault, duration))
                .Concat(spec.Components.OfType<BackendSpec>().SelectMany(backend => backend.Outages.Select(outage =>
                    new FaultWindow($"outage {backend.Name} {GoDuration.Format(outage.Start)}+{GoDuration.Format(outage.Duration)}",
                        outage.Start, outage.Start + outage.Duration))))
                .OrderBy(f => f.Start),
        ],
    };

    /// <summary>"timeout-chain, seed 7: w1 → http://r:8080: retries over time".</summary>
    public string Title(string what) => (ScenarioName, Seed) switch
    {
        (null, _) => what,
        (string name, null) => $"{name}: {what}",
        (string name, ulong seed) => $"{name}, seed {seed}: {what}",
    };

    private static FaultWindow Window(FaultSpec fault, TimeSpan runEnd) => fault switch
    {
        DropIdleFlowsFault f => new($"drop-idle-flows {f.Link} at {GoDuration.Format(f.At)}", f.At, f.At),
        PartitionFault f => new($"partition {f.Link} {GoDuration.Format(f.At)}+{GoDuration.Format(f.Duration)}", f.At, f.At + f.Duration),
        BackendOutageFault f => new($"outage {f.Backend} {GoDuration.Format(f.At)}+{GoDuration.Format(f.Duration)}", f.At, f.At + f.Duration),
        RestartFault f => new($"restart {f.Component} at {GoDuration.Format(f.At)}", f.At, f.At + f.Downtime),
        RandomLinkBreaksFault f => new($"random breaks on {f.Link}", f.Start, f.Stop ?? runEnd),
        ScheduledFaultSpec f => new(f.GetType().Name, f.At, f.At),
        _ => new(fault.GetType().Name, TimeSpan.Zero, runEnd),
    };
}
