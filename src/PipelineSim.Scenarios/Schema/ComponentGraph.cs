using PipelineSim.Scenarios.Problems;
using PipelineSim.Scenarios.Reading;
using PipelineSim.Scenarios.Yaml;

namespace PipelineSim.Scenarios.Schema;

/// <summary>
/// The names a scenario declares (sources and components share one namespace) and every place one names another.
/// References are recorded while reading and checked once everything is declared, so a component may refer to one
/// written further down: <see cref="Check"/> reports names that point nowhere or at the wrong kind, and cycles in
/// the push path (a push that would come back to where it started).
/// </summary>
internal sealed class ComponentGraph(ProblemList problems)
{
    private sealed record Declaration(string Kind, TextPosition Position);

    private sealed record Reference(string From, string To, TextPosition Position, string Path, string Role, IReadOnlyList<string> Kinds, bool CarriesPushes);

    private readonly Dictionary<string, Declaration> _declared = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly List<Reference> _references = [];
    private readonly HashSet<(string From, string To)> _connections = [];

    /// <summary>Name to kind, for everything declared (valid or not), in file order.</summary>
    public IReadOnlyDictionary<string, string> Kinds => _order.ToDictionary(n => n, n => _declared[n].Kind, StringComparer.Ordinal);

    /// <summary>Declares <paramref name="key"/>'s name; false (reported) when it is not a valid name or already taken.</summary>
    public bool Declare(YamlScalar key, string kind, string path)
    {
        string name = key.Value;
        if (!MappingReader.ReadValue(key, path, Reading.Kinds.Name, null, problems, out _)) return false;
        if (_declared.TryGetValue(name, out var earlier))
        {
            problems.Add(key.Start, path, $"the name \"{name}\" is already used by the {earlier.Kind} at line {earlier.Position.Line}");
            return false;
        }
        _declared.Add(name, new Declaration(kind, key.Start));
        _order.Add(name);
        return true;
    }

    /// <summary>
    /// Records that <paramref name="from"/> names <paramref name="to"/> at <paramref name="at"/>, as a
    /// <paramref name="role"/> that must be one of <paramref name="kinds"/>. A reference that
    /// <paramref name="carriesPushes"/> is an edge of the push path: a connection is made along it and cycles are
    /// looked for.
    /// </summary>
    public void Refer(string from, string to, TextPosition at, string path, string role, IReadOnlyList<string> kinds, bool carriesPushes)
    {
        _references.Add(new Reference(from, to, at, path, role, kinds, carriesPushes));
        if (carriesPushes) _connections.Add((from, to));
    }

    public string? KindOf(string name) => _declared.TryGetValue(name, out var d) ? d.Kind : null;

    /// <summary>True when <paramref name="from"/> opens connections to <paramref name="to"/> (an endpoint URL or a
    /// load balancer target names it): the pairs a link or a link fault can describe.</summary>
    public bool Connects(string from, string to) => _connections.Contains((from, to));

    public void Check()
    {
        foreach (var reference in _references)
        {
            if (!_declared.TryGetValue(reference.To, out var target))
            {
                // Suggest names of a kind that would fit first: a forward_to typo should find a writer.
                var fitting = _order.Where(n => reference.Kinds.Contains(_declared[n].Kind)).ToList();
                string hint = Suggestions.DidYouMean(reference.To, fitting);
                if (hint.Length == 0) hint = Suggestions.DidYouMean(reference.To, _order);
                problems.Add(reference.Position, reference.Path, $"{reference.Role} \"{reference.To}\" names no component or source{hint}");
            }
            else if (target.Kind != ComponentKinds.Unknown && !reference.Kinds.Contains(target.Kind))
            {
                problems.Add(reference.Position, reference.Path,
                    $"{reference.Role} \"{reference.To}\" is a {target.Kind}, but must be {Either(reference.Kinds)}");
            }
        }
        ReportCycles();
    }

    private static string Either(IReadOnlyList<string> kinds) =>
        kinds.Count == 1 ? $"a {kinds[0]}" : $"a {string.Join(", a ", kinds.Take(kinds.Count - 1))} or a {kinds[^1]}";

    /// <summary>Depth-first search over the push path; every edge that closes a loop is reported once, with the loop.</summary>
    private void ReportCycles()
    {
        var edges = _references.Where(r => r.CarriesPushes && _declared.ContainsKey(r.To)).ToLookup(r => r.From);
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the current path, true: done
        var path = new List<string>();

        void Visit(string node)
        {
            state[node] = false;
            path.Add(node);
            foreach (var edge in edges[node])
            {
                if (!state.TryGetValue(edge.To, out bool done))
                {
                    Visit(edge.To);
                }
                else if (!done)
                {
                    var loop = path.Skip(path.IndexOf(edge.To)).Append(edge.To);
                    problems.Add(edge.Position, edge.Path,
                        $"cycle in the push path: {string.Join(" -> ", loop)} (a push would travel around it forever)");
                }
            }
            path.RemoveAt(path.Count - 1);
            state[node] = true;
        }

        foreach (string name in _order)
        {
            if (!state.ContainsKey(name)) Visit(name);
        }
    }
}
