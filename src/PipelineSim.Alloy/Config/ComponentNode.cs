using PipelineSim.Alloy.Syntax;

namespace PipelineSim.Alloy.Config;

/// <summary>
/// One component block found in the files: a built-in component (<c>pyroscope.write "w1"</c>), an instance of a
/// custom component (<c>profiles_receiver "feature"</c>), or a component inside a <c>declare</c>, named with the
/// instance it belongs to (<c>profiles_receiver.feature/pyroscope.receive_http.default</c>).
/// </summary>
public sealed class ComponentNode
{
    internal ComponentNode(BlockStatement block, ModuleScope scope, string kind)
    {
        Block = block;
        Scope = scope;
        Kind = kind;
    }

    /// <summary>The block; for a component body file, a block made up around the file's statements.</summary>
    public BlockStatement Block { get; }

    /// <summary>The module the block sits in: where its expressions are evaluated.</summary>
    internal ModuleScope Scope { get; }

    /// <summary>The component's name: <c>pyroscope.write</c>, or a custom component's <c>declare</c> name.</summary>
    public string Kind { get; }

    public string Label => Block.Label ?? "";

    /// <summary>How the module refers to it: <c>pyroscope.write.w1</c>.</summary>
    public string LocalId => Block.Id;

    /// <summary>Unique across the files read: <see cref="LocalId"/> behind the path of instances it is inside.</summary>
    public string Id => Scope.Prefix + LocalId;

    public string File => Block.At.File;

    public SourcePosition At => Block.At;

    /// <summary>For an instance of a custom component: the module its <c>declare</c> body became.</summary>
    internal ModuleScope? Instance { get; set; }

    /// <summary>True when made up around a component body file (no <c>pyroscope.write "x" { }</c> around it).</summary>
    public bool FromBody { get; init; }

    /// <summary>Where a message points at it: <c>pyroscope.write "w1" (file:line:col)</c>.</summary>
    public string Title => Scope.Prefix.Length == 0 ? Block.Title : $"{Block.Title} in {Scope.Prefix.TrimEnd('/')}";

    public override string ToString() => Id;
}
