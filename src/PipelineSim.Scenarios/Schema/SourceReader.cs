using PipelineSim.Spec;
using PipelineSim.Scenarios.Reading;
using PipelineSim.Scenarios.Values;

namespace PipelineSim.Scenarios.Schema;

/// <summary>
/// <c>sources.NAME</c>: a fleet of identical agents pushing to a <c>pyroscope.write</c>. The model takes the fleet
/// whole (<see cref="SourceSpec.Count"/> agents); every default is resolved here, including the phase jitter. The
/// reader checks each value's kind; the ranges are <see cref="SourceSpec.Validate"/>'s.
/// </summary>
internal static class SourceReader
{
    public static SourceSpec Read(ReadContext context, MappingReader m, string name)
    {
        var d = new SourceSpec { Name = name, To = "" };
        string to = context.ReadReference(m, "to", name, [ComponentKinds.Write], carriesPushes: true);
        TimeSpan interval = m.Optional("push_interval", d.PushInterval, Kinds.Duration);
        var arrivals = m.Optional("arrivals", d.Arrivals, Kinds.OneOf(("ticker", ArrivalProcess.Ticker), ("poisson", ArrivalProcess.Poisson)));
        // A Poisson source is memoryless from its start: a phase would mean nothing, and ignoring one silently would mislead.
        if (arrivals == ArrivalProcess.Poisson && m.Has("phase_jitter"))
            m.Report("phase_jitter", "applies to ticker arrivals only: Poisson arrivals start one exponential gap after start, with no phase");
        var spec = d with
        {
            To = to,
            // SourceSpec allows a fleet of none (a spec built in code may leave a source idle); a file that declares a
            // source means it to push, so the file alone asks for at least one agent. The upper bound is the type's.
            Count = m.Optional("count", d.Count, Kinds.Int, Check.AtLeast(1)),
            PushInterval = interval,
            Arrivals = arrivals,
            // Null in the spec means the whole interval; written out so the model and the reader see one value.
            PhaseJitter = m.OptionalValue("phase_jitter", Kinds.Duration) ?? interval,
            ProfilesPerPush = m.Optional("profiles_per_push", d.ProfilesPerPush, Kinds.Int),
            ProfileBytes = m.Optional("profile_bytes", d.ProfileBytes, Kinds.Distribution(Dimension.Size)),
            Writer = m.Optional("writer", d.Writer, Kinds.OneOf(("per_agent", WriterSharing.PerAgent), ("shared", WriterSharing.Shared))),
            PushTimeout = m.OptionalRef("push_timeout", Kinds.Distribution(Dimension.Time)),
            Start = m.Optional("start", d.Start, Kinds.Duration),
            Stop = m.OptionalValue("stop", Kinds.Duration),
        };
        // Alloy's sources list their writers in forward_to; a scenario source pushes to one writer, named by "to".
        m.OtherWord("forward_to", $"forward_to is Alloy's word: a scenario source names its writer with \"to\", like to: {(to.Length > 0 ? to : "w1")}");
        m.Finish();
        ModelChecks.ReportFor(m, spec.Validate());
        return spec;
    }
}
