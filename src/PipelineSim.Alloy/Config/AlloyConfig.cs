using PipelineSim.Alloy.Evaluation;
using PipelineSim.Alloy.Syntax;

namespace PipelineSim.Alloy.Config;

/// <summary>What the user supplies for values the files cannot tell: <c>--env NAME=VALUE</c>, <c>--set id.attr=value</c>.</summary>
public sealed record AlloyInputs
{
    public static AlloyInputs None { get; } = new();

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Attribute overrides by path: <c>pyroscope.write.w1.endpoint.url</c> → value.</summary>
    public IReadOnlyDictionary<string, AlloyValue> Settings { get; init; } = new Dictionary<string, AlloyValue>();
}

/// <summary>
/// Alloy files read together, as Alloy reads a directory: every file parsed, its components found (custom
/// components instantiated from their <c>declare</c>), and their expressions ready to evaluate.
/// </summary>
public sealed class AlloyConfig
{
    /// <summary>Instances of custom components inside custom components, at most this deep.</summary>
    private const int MaxInstanceDepth = 16;

    /// <summary>Unlabelled top-level blocks that configure Alloy itself rather than being components.</summary>
    private static readonly HashSet<string> ConfigBlocks = new(StringComparer.Ordinal)
    {
        "logging", "tracing", "livedebugging", "http", "remotecfg", "argument", "export", "foreach",
    };

    private readonly List<ComponentNode> _components = [];
    private readonly List<AlloyDiagnostic> _errors = [];
    private readonly List<AlloyDiagnostic> _notes = [];

    private AlloyConfig(AlloyInputs inputs) => Inputs = inputs;

    public AlloyInputs Inputs { get; }

    public IReadOnlyList<AlloyFile> Files { get; private set; } = [];

    public IReadOnlyList<ComponentNode> Components => _components;

    /// <summary>Syntax errors and structural errors Alloy would refuse to load.</summary>
    public IReadOnlyList<AlloyDiagnostic> Errors => _errors;

    /// <summary>Things the reader did on the user's behalf (a body file read as a component, a declare read without
    /// an instance).</summary>
    public IReadOnlyList<AlloyDiagnostic> Notes => _notes;

    public bool HasSyntaxErrors => Files.Any(f => !f.IsValid);

    public static AlloyConfig Read(IEnumerable<(string Name, string Text)> files, AlloyInputs? inputs = null)
    {
        var config = new AlloyConfig(inputs ?? AlloyInputs.None);
        var parsed = files.Select(f => Parser.ParseFile(f.Name, f.Text)).ToList();
        config.Files = parsed;
        foreach (var file in parsed) config._errors.AddRange(file.Errors);

        var roots = new List<ModuleScope>();
        foreach (var file in parsed.Where(f => f.IsValid))
        {
            var root = new ModuleScope("", null, null, config.Inputs.Environment);
            roots.Add(root);
            config.Populate(root, BodyOrComponents(file, config._notes), depth: 0);
        }
        foreach (var root in roots) root.Siblings.AddRange(roots.Where(r => r != root));
        return config;
    }

    /// <summary>
    /// A component body file (attributes or an <c>endpoint</c>/<c>http</c> block at the top level, as in Alloy's
    /// tests) is wrapped in the component it belongs to; any other file is returned as it is.
    /// </summary>
    private static IReadOnlyList<Statement> BodyOrComponents(AlloyFile file, List<AlloyDiagnostic> notes)
    {
        bool isBody = file.Body.Any(s => s is AttributeStatement || s is BlockStatement { Label: null, Name: "endpoint" or "grpc" });
        if (!isBody) return file.Body;
        bool write = file.Body.Any(s => s is BlockStatement { Name: "endpoint" } or AttributeStatement { Name: "external_labels" });
        string kind = write ? Kinds.Write : Kinds.ReceiveHttp;
        var first = file.Body[0].At;
        var end = file.Body[^1].At;
        var block = new BlockStatement(first, kind, "body", null, file.Body, end);
        notes.Add(new AlloyDiagnostic(first,
            $"the file is a component body (no {kind} \"label\" {{ }} around it): read as the body of {kind} \"body\""));
        return [block];
    }

    private void Populate(ModuleScope scope, IReadOnlyList<Statement> body, int depth)
    {
        foreach (var declare in body.OfType<BlockStatement>().Where(b => b.Name == "declare"))
        {
            if (declare.Label is null) _errors.Add(new AlloyDiagnostic(declare.At, "declare block must have a label"));
            else if (!scope.Declares.TryAdd(declare.Label, declare))
            {
                _errors.Add(new AlloyDiagnostic(declare.At, $"declare \"{declare.Label}\" already declared at {scope.Declares[declare.Label].At}"));
            }
        }

        foreach (var block in body.OfType<BlockStatement>())
        {
            if (block.Name == "declare") continue;
            if (block.Label is null)
            {
                if (!ConfigBlocks.Contains(block.Name) && scope.FindDeclare(block.Name) is null)
                {
                    _notes.Add(new AlloyDiagnostic(block.At, $"block {block.Name} has no label; not read as a component"));
                }
                continue;
            }
            var node = new ComponentNode(block, scope, block.Name) { FromBody = block.LabelAt is null };
            if (!scope.Components.TryAdd(node.LocalId, node))
            {
                _errors.Add(new AlloyDiagnostic(block.At,
                    $"component {block.Title} already declared at {scope.Components[node.LocalId].At}"));
                continue;
            }
            _components.Add(node);
            if (scope.FindDeclare(block.Name) is { } declare) Instantiate(node, declare, depth);
        }

        // A declare nobody instantiates (a module file) is still read, with its arguments unknown.
        if (depth == 0)
        {
            foreach (var declare in scope.Declares.Values.Where(d => !body.OfType<BlockStatement>().Any(b => b.Name == d.Label)))
            {
                var template = new ModuleScope($"declare.{declare.Label}/", scope, declare.Label, Inputs.Environment)
                {
                    IsTemplate = true,
                    DeclareBody = declare.Body,
                };
                _notes.Add(new AlloyDiagnostic(declare.At,
                    $"declare \"{declare.Label}\" is not instantiated in these files: its components are read with unknown arguments"));
                Populate(template, declare.Body, depth + 1);
            }
        }
    }

    private void Instantiate(ComponentNode node, BlockStatement declare, int depth)
    {
        if (depth >= MaxInstanceDepth)
        {
            _errors.Add(new AlloyDiagnostic(node.At, $"custom components nested deeper than {MaxInstanceDepth}; not read further"));
            return;
        }
        var outer = node.Scope;
        var instance = new ModuleScope($"{node.Id}/", outer, declare.Label, Inputs.Environment) { DeclareBody = declare.Body };
        node.Instance = instance;

        var given = node.Block.Body.OfType<AttributeStatement>().ToDictionary(a => a.Name, StringComparer.Ordinal);
        foreach (var argument in declare.Body.OfType<BlockStatement>().Where(b => b.Name == "argument" && b.Label is not null))
        {
            string name = argument.Label!;
            var attributes = argument.Body.OfType<AttributeStatement>().ToList();
            if (given.TryGetValue(name, out var value))
            {
                instance.SetArgument(name, ModuleScope.Lazy(() => outer.Evaluator.Evaluate(value.Value), $"argument {name}", value.At));
            }
            else if (attributes.FirstOrDefault(a => a.Name == "default") is { } fallback)
            {
                instance.SetArgument(name, ModuleScope.Lazy(() => instance.Evaluator.Evaluate(fallback.Value), $"argument {name}", fallback.At));
            }
            else
            {
                bool optional = attributes.FirstOrDefault(a => a.Name == "optional")?.Value is LiteralExpression { Value: "true" };
                if (!optional)
                {
                    _errors.Add(new AlloyDiagnostic(node.At, $"missing required argument \"{name}\" to module"));
                }
                instance.SetArgument(name, () => NullValue.Instance);
            }
        }
        Populate(instance, declare.Body, depth + 1);
    }

    /// <summary>The component with this <see cref="ComponentNode.Id"/>.</summary>
    public ComponentNode? Find(string id) => _components.FirstOrDefault(c => c.Id == id);
}

/// <summary>The component names this project reads.</summary>
public static class Kinds
{
    public const string Write = "pyroscope.write";
    public const string ReceiveHttp = "pyroscope.receive_http";
    public const string Ebpf = "pyroscope.ebpf";
    public const string Scrape = "pyroscope.scrape";
    public const string Java = "pyroscope.java";
    public const string Relabel = "pyroscope.relabel";
    public const string Enrich = "pyroscope.enrich";

    public static bool IsSource(string kind) => kind is Ebpf or Scrape or Java;

    /// <summary>Components that hand every profile on to their <c>forward_to</c> after changing labels.</summary>
    public static bool IsPassThrough(string kind) => kind is Relabel or Enrich;
}
