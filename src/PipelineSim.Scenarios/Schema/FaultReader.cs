using PipelineSim.Spec;
using PipelineSim.Scenarios.Reading;
using PipelineSim.Scenarios.Yaml;

namespace PipelineSim.Scenarios.Schema;

/// <summary>
/// <c>faults:</c> scheduled faults (at a time) and random link breaks. A link is named <c>from-&gt;to</c> and must be a
/// pair of components that connect; it need not appear in <c>links:</c>.
/// </summary>
internal static class FaultReader
{
    public const string DropIdleFlows = "drop-idle-flows";
    public const string Partition = "partition";
    public const string BackendOutage = "backend-outage";
    public const string Restart = "restart";
    public const string RandomLinkBreaks = "random-link-breaks";

    private static readonly string[] KindNames = [DropIdleFlows, Partition, BackendOutage, Restart, RandomLinkBreaks];

    public static IReadOnlyList<FaultSpec> Read(ReadContext context, IReadOnlyList<(YamlNode Node, string Path)> items, TimeSpan? duration)
    {
        var faults = new List<FaultSpec>();
        foreach (var m in context.ReadMappings(items))
        {
            string? kind = m.Required("kind", Kinds.OneOf(KindNames.Select(k => (k, k)).ToArray()));
            FaultSpec? fault = kind switch
            {
                DropIdleFlows => new DropIdleFlowsFault
                {
                    At = ReadAt(m, duration),
                    Link = ReadLink(context, m),
                    Mode = m.Optional("mode", Spec.MiddleboxMode.Silent, SpecKinds.MiddleboxMode),
                },
                Partition => new PartitionFault
                {
                    At = ReadAt(m, duration),
                    Link = ReadLink(context, m),
                    Duration = m.RequiredValue("duration", Kinds.Duration, Check.Positive) ?? TimeSpan.Zero,
                },
                BackendOutage => new BackendOutageFault
                {
                    At = ReadAt(m, duration),
                    Backend = context.ReadReference(m, "backend", "", [ComponentKinds.Backend], carriesPushes: false),
                    Duration = m.RequiredValue("duration", Kinds.Duration, Check.Positive) ?? TimeSpan.Zero,
                    Mode = m.Optional("mode", Spec.OutageMode.Unavailable, SpecKinds.OutageMode),
                },
                Restart => ReadRestart(context, m, duration),
                RandomLinkBreaks => ReadRandomBreaks(context, m),
                _ => null,
            };
            if (fault is null) continue; // an unknown kind is reported; its other keys cannot be judged
            m.Finish();
            faults.Add(fault);
        }
        return faults;
    }

    private static RestartFault ReadRestart(ReadContext context, MappingReader m, TimeSpan? duration)
    {
        var d = new RestartFault { At = ReadAt(m, duration), Component = context.ReadReference(m, "component", "", ComponentKinds.Servers, false) };
        return d with { Downtime = m.Optional("downtime", d.Downtime, Kinds.Duration, Check.NonNegative) };
    }

    private static RandomLinkBreaksFault ReadRandomBreaks(ReadContext context, MappingReader m)
    {
        var start = m.Optional("start", TimeSpan.Zero, Kinds.Duration, Check.NonNegative);
        return new RandomLinkBreaksFault
        {
            Link = ReadLink(context, m),
            RatePerConnectionHour = m.RequiredValue("rate_per_connection_hour", Kinds.Number, v => v > 0 ? null : "must be greater than 0") ?? 0,
            Mode = m.Optional("mode", Spec.MiddleboxMode.Silent, SpecKinds.MiddleboxMode),
            Start = start,
            Stop = m.OptionalValue("stop", Kinds.Duration, value => value > start ? null : "must be later than start"),
        };
    }

    /// <summary><c>at</c>: when the fault happens, within the run.</summary>
    private static TimeSpan ReadAt(MappingReader m, TimeSpan? duration) =>
        m.RequiredValue("at", Kinds.Duration, value => value < TimeSpan.Zero ? "must not be negative"
            : duration is { } end && value >= end ? $"is not before the end of the run (duration {Core.Time.GoDuration.Format(end)})"
            : null) ?? TimeSpan.Zero;

    /// <summary><c>link: from-&gt;to</c>, two components that connect.</summary>
    private static string ReadLink(ReadContext context, MappingReader m)
    {
        string? text = m.Required("link", Kinds.String);
        if (text is null || m.Node("link") is not YamlScalar scalar) return "";
        int arrow = text.IndexOf("->", StringComparison.Ordinal);
        if (arrow < 0)
        {
            context.Problems.Add(scalar.Start, m.ChildPath("link"), $"expected a link as from->to (like w2->pyroscope), found \"{text}\"");
            return text;
        }
        string path = m.ChildPath("link");
        string from = text[..arrow].Trim(), to = text[(arrow + 2)..].Trim();
        bool ok = MappingReader.ReadValue(new YamlScalar(scalar.Start, from, ScalarQuoting.Plain), path, Kinds.Name, null, context.Problems, out _)
            & MappingReader.ReadValue(new YamlScalar(scalar.PositionAt(arrow + 2), to, ScalarQuoting.Plain), path, Kinds.Name, null, context.Problems, out _);
        if (!ok) return text;
        context.Graph.Refer("", from, scalar.Start, path, "link", [ComponentKinds.Write, ComponentKinds.LoadBalancer], carriesPushes: false);
        context.Graph.Refer("", to, scalar.PositionAt(text.IndexOf(to, arrow, StringComparison.Ordinal)), path, "link",
            ComponentKinds.Servers, carriesPushes: false);
        LinkReader.CheckConnected(context, from, to, scalar.Start, path);
        return LinkSpec.LinkId(from, to);
    }
}
