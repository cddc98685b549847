using PipelineSim.Scenarios.Problems;
using PipelineSim.Scenarios.Reading;
using PipelineSim.Scenarios.Yaml;

namespace PipelineSim.Scenarios.Schema;

/// <summary>What every part of the schema reader shares: the problem list and the graph of names.</summary>
internal sealed record ReadContext(ProblemList Problems, ComponentGraph Graph)
{
    /// <summary>
    /// Reads a list of names under <paramref name="key"/> (a single name counts as a list of one) and records each
    /// as a reference from <paramref name="from"/>.
    /// </summary>
    public IReadOnlyList<string> ReadReferences(MappingReader m, string key, string from, IReadOnlyList<string> kinds,
        bool carriesPushes, bool required = true)
    {
        var names = new List<string>();
        var items = m.Sequence(key, required);
        if (required && items.Count == 0 && m.Has(key)) m.Report(key, "needs at least one name");
        foreach (var (node, path) in items)
        {
            if (!MappingReader.ReadValue(node, path, Kinds.Name, null, Problems, out string name)) continue;
            Graph.Refer(from, name, node.Start, path, key, kinds, carriesPushes);
            names.Add(name);
        }
        return names;
    }

    /// <summary>Reads one name under <paramref name="key"/> and records it as a reference.</summary>
    public string ReadReference(MappingReader m, string key, string from, IReadOnlyList<string> kinds, bool carriesPushes)
    {
        string? name = m.Required(key, Kinds.Name);
        if (name is null) return "";
        Graph.Refer(from, name, m.Node(key)!.Start, m.ChildPath(key), key, kinds, carriesPushes);
        return name;
    }

    /// <summary>The mapping readers of the items of a list, skipping (and reporting) items that are not mappings.</summary>
    public IEnumerable<MappingReader> ReadMappings(IReadOnlyList<(YamlNode Node, string Path)> items)
    {
        foreach (var (node, path) in items)
        {
            if (MappingReader.Open(node, path, Problems) is { } reader) yield return reader;
        }
    }
}
