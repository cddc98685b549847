using PipelineSim.Spec;

namespace PipelineSim.Model.Net;

/// <summary>The links of a run, found by the names at either end; pairs nobody described get a default link.</summary>
internal sealed class Network
{
    private readonly Dictionary<(string, string), Link> links = [];
    private readonly long defaultRtt;

    public Network(IEnumerable<LinkSpec> specs, TimeSpan defaultRtt)
    {
        this.defaultRtt = defaultRtt.Ticks;
        foreach (var spec in specs) links[(spec.From, spec.To)] = new Link(spec.Id, spec.Rtt.Ticks, spec.Middlebox);
    }

    public Link Between(string from, string to)
    {
        if (links.TryGetValue((from, to), out var link) || links.TryGetValue((to, from), out link)) return link;
        link = new Link(LinkSpec.LinkId(from, to), defaultRtt, null);
        links[(from, to)] = link;
        return link;
    }

    /// <summary>A link a fault names by its id (<c>from-&gt;to</c>), either way round.</summary>
    public Link? Find(string id)
    {
        int arrow = id.IndexOf("->", StringComparison.Ordinal);
        if (arrow < 0) return null;
        return Between(id[..arrow].Trim(), id[(arrow + 2)..].Trim());
    }
}
