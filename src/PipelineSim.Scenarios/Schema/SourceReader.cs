using PipelineSim.Spec;
using PipelineSim.Scenarios.Reading;
using PipelineSim.Scenarios.Values;

namespace PipelineSim.Scenarios.Schema;

/// <summary>
/// <c>sources.NAME</c>: a fleet of identical agents pushing to a <c>pyroscope.write</c>. The model takes the fleet
/// whole (<see cref="SourceSpec.Count"/> agents); every default is resolved here, including the phase jitter.
/// </summary>
internal static class SourceReader
{
    public static SourceSpec Read(ReadContext context, MappingReader m, string name)
    {
        var d = new SourceSpec { Name = name, To = "" };
        string to = context.ReadReference(m, "to", name, [ComponentKinds.Write], carriesPushes: true);
        TimeSpan interval = m.Optional("push_interval", d.PushInterval, Kinds.Duration, Check.Positive);
        TimeSpan start = m.Optional("start", d.Start, Kinds.Duration, Check.NonNegative);
        TimeSpan? stop = m.OptionalValue("stop", Kinds.Duration, value => value > start ? null : "must be later than start");
        var arrivals = m.Optional("arrivals", d.Arrivals, Kinds.OneOf(("ticker", ArrivalProcess.Ticker), ("poisson", ArrivalProcess.Poisson)));
        // A Poisson source is memoryless from its start: a phase would mean nothing, and ignoring one silently would mislead.
        if (arrivals == ArrivalProcess.Poisson && m.Has("phase_jitter"))
            m.Report("phase_jitter", "applies to ticker arrivals only: Poisson arrivals start one exponential gap after start, with no phase");
        var pushTimeout = m.OptionalRef("push_timeout", Kinds.Distribution(Dimension.Time));
        if (pushTimeout is { Mean: <= 0 }) m.Report("push_timeout", "must be positive (a distribution: its mean)");
        var spec = d with
        {
            To = to,
            Count = m.Optional("count", d.Count, Kinds.Int,
                Check.Within(1, SourceSpec.MaxAgents, "the model keeps every agent in memory")),
            PushInterval = interval,
            Arrivals = arrivals,
            // Null in the spec means the whole interval; written out so the model and the reader see one value.
            PhaseJitter = m.OptionalValue("phase_jitter", Kinds.Duration, Check.NonNegative) ?? interval,
            ProfilesPerPush = m.Optional("profiles_per_push", d.ProfilesPerPush, Kinds.Int,
                Check.Within(1, SourceSpec.MaxProfilesPerPush, "each push carries one size per series")),
            ProfileBytes = m.Optional("profile_bytes", d.ProfileBytes, Kinds.Distribution(Dimension.Size)),
            Writer = m.Optional("writer", d.Writer, Kinds.OneOf(("per_agent", WriterSharing.PerAgent), ("shared", WriterSharing.Shared))),
            PushTimeout = pushTimeout,
            Start = start,
            Stop = stop,
        };
        // Alloy's sources list their writers in forward_to; a scenario source pushes to one writer, named by "to".
        m.OtherWord("forward_to", $"forward_to is Alloy's word: a scenario source names its writer with \"to\", like to: {(to.Length > 0 ? to : "w1")}");
        m.Finish();
        return spec;
    }
}
