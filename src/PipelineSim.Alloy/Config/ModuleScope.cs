using PipelineSim.Alloy.Evaluation;
using PipelineSim.Alloy.Syntax;

namespace PipelineSim.Alloy.Config;

/// <summary>
/// A module: a file's top level, or the body of a <c>declare</c> for one instance. It knows its components and (for
/// an instance) its arguments, and resolves the references of expressions evaluated in it. References a file cannot
/// resolve are looked up in the other files read, as if they were one directory Alloy loads together.
/// </summary>
internal sealed class ModuleScope : IScope
{
    /// <summary>How deep references through custom-component exports may chain before it is called a cycle.</summary>
    private const int MaxResolveDepth = 32;

    [ThreadStatic] private static int resolving;

    private readonly Dictionary<string, Func<AlloyValue>> _arguments = new(StringComparer.Ordinal);

    public ModuleScope(string prefix, ModuleScope? parent, string? declareName, IReadOnlyDictionary<string, string> environment)
    {
        Prefix = prefix;
        Parent = parent;
        DeclareName = declareName;
        Evaluator = new Evaluator(this, environment);
    }

    /// <summary>"" at a file's top level; <c>instance.label/</c> inside a custom component instance.</summary>
    public string Prefix { get; }

    public ModuleScope? Parent { get; }

    /// <summary>The declare this module is the body of, or null at a file's top level.</summary>
    public string? DeclareName { get; }

    /// <summary>True for a declare body read without an instance: its arguments are unknown.</summary>
    public bool IsTemplate { get; init; }

    public Evaluator Evaluator { get; }

    /// <summary>The statements of the declare this module instantiates (its exports are read from them).</summary>
    public IReadOnlyList<Statement>? DeclareBody { get; init; }

    public Dictionary<string, ComponentNode> Components { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, BlockStatement> Declares { get; } = new(StringComparer.Ordinal);

    /// <summary>The other files' top-level modules (set on top-level modules only).</summary>
    public List<ModuleScope> Siblings { get; } = [];

    public void SetArgument(string name, Func<AlloyValue> value) => _arguments[name] = value;

    public BlockStatement? FindDeclare(string name) =>
        Declares.TryGetValue(name, out var found) ? found : Parent?.FindDeclare(name);

    public (AlloyValue Value, int Used)? Resolve(IReadOnlyList<string> path, SourcePosition at)
    {
        if (path.Count >= 2 && path[0] == "argument" && DeclareName is not null)
        {
            int used = path.Count >= 3 && path[2] == "value" ? 3 : 2;
            if (_arguments.TryGetValue(path[1], out var argument)) return (argument(), used);
            string why = IsTemplate ? $"declare \"{DeclareName}\" is not instantiated in these files" : "no such argument";
            return (new UnknownValue($"argument.{path[1]}.value ({why})", at), used);
        }
        if (ResolveComponent(path, at) is { } local) return local;
        if (Prefix.Length == 0)
        {
            foreach (var sibling in Siblings)
            {
                if (sibling.ResolveComponent(path, at) is { } other) return other;
            }
        }
        return null;
    }

    private (AlloyValue Value, int Used)? ResolveComponent(IReadOnlyList<string> path, SourcePosition at)
    {
        for (int parts = Math.Min(path.Count, 6); parts >= 2; parts--)
        {
            if (!Components.TryGetValue(string.Join('.', path.Take(parts)), out var node)) continue;
            if (parts == path.Count) return (new ExportValue(node.Id, "", at), parts);
            if (node.Instance is { } instance) return (instance.Export(path[parts], at), parts + 1);
            return (new ExportValue(node.Id, path[parts], at), parts + 1);
        }
        return null;
    }

    /// <summary>The value of this instance's <c>export "name" { value = ... }</c>.</summary>
    private AlloyValue Export(string name, SourcePosition at)
    {
        var export = DeclareBody?.OfType<BlockStatement>().FirstOrDefault(b => b.Name == "export" && b.Label == name);
        var value = export?.Body.OfType<AttributeStatement>().FirstOrDefault(a => a.Name == "value");
        if (value is null) return new UnknownValue($"export \"{name}\" of {Prefix.TrimEnd('/')} (not declared)", at);
        if (resolving >= MaxResolveDepth) return new UnknownValue($"export \"{name}\" (references chain too deep or cycle)", at);
        resolving++;
        try
        {
            return Evaluator.Evaluate(value.Value);
        }
        finally
        {
            resolving--;
        }
    }

    /// <summary>Evaluates an argument lazily, once, with the same cycle guard as exports.</summary>
    public static Func<AlloyValue> Lazy(Func<AlloyValue> evaluate, string what, SourcePosition at)
    {
        AlloyValue? value = null;
        return () =>
        {
            if (value is not null) return value;
            if (resolving >= MaxResolveDepth) return new UnknownValue($"{what} (references chain too deep or cycle)", at);
            resolving++;
            try
            {
                return value = evaluate();
            }
            finally
            {
                resolving--;
            }
        };
    }
}
