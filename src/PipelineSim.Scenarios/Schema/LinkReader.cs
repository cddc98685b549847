using PipelineSim.Spec;
using PipelineSim.Scenarios.Reading;
using PipelineSim.Scenarios.Yaml;

namespace PipelineSim.Scenarios.Schema;

/// <summary>
/// <c>links:</c> the network between a connecting component (a writer or a load balancer) and a server it connects
/// to. Read after every component, so a link between two components that never talk is caught.
/// </summary>
internal static class LinkReader
{
    private static readonly string[] Clients = [ComponentKinds.Write, ComponentKinds.LoadBalancer];

    public static IReadOnlyList<LinkSpec> Read(ReadContext context, IReadOnlyList<(YamlNode Node, string Path)> items)
    {
        var links = new List<LinkSpec>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var m in context.ReadMappings(items))
        {
            string from = context.ReadReference(m, "from", "", Clients, carriesPushes: false);
            string to = context.ReadReference(m, "to", "", ComponentKinds.Servers, carriesPushes: false);
            var middlebox = m.Mapping("middlebox");
            var d = new LinkSpec { From = from, To = to };
            var link = d with
            {
                Rtt = m.Optional("rtt", d.Rtt, Kinds.Duration, Check.NonNegative),
                Middlebox = middlebox is null ? null : ReadMiddlebox(middlebox),
            };
            m.Finish();
            if (from.Length == 0 || to.Length == 0) continue;
            if (seen.TryGetValue(link.Id, out int line))
            {
                context.Problems.Add(m.Start, m.Path, $"the link {link.Id} is already described at line {line}");
                continue;
            }
            seen.Add(link.Id, m.Start.Line);
            CheckConnected(context, from, to, m.Node("from")!.Start, m.ChildPath("from"));
            links.Add(link);
        }
        return links;
    }

    /// <summary>Reports a pair that the components never connect along (only when both names are valid, as the
    /// reference check reports the rest).</summary>
    public static void CheckConnected(ReadContext context, string from, string to, Problems.TextPosition at, string path)
    {
        var graph = context.Graph;
        bool valid = Clients.Contains(graph.KindOf(from)) && ComponentKinds.Servers.Contains(graph.KindOf(to));
        if (valid && !graph.Connects(from, to))
        {
            context.Problems.Add(at, path, $"{from} never connects to {to}: no endpoint url or load balancer target of {from} names {to}");
        }
    }

    private static MiddleboxSpec ReadMiddlebox(MappingReader m)
    {
        var spec = new MiddleboxSpec(
            m.RequiredValue("idle_timeout", Kinds.Duration, Check.Positive) ?? TimeSpan.Zero,
            m.Optional("mode", MiddleboxMode.Silent, SpecKinds.MiddleboxMode));
        m.Finish();
        return spec;
    }
}
