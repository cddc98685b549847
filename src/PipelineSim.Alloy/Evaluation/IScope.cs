using PipelineSim.Alloy.Syntax;

namespace PipelineSim.Alloy.Evaluation;

/// <summary>Where the identifiers of an expression are looked up: components, custom-component arguments.</summary>
public interface IScope
{
    /// <summary>
    /// The value named by the longest prefix of <paramref name="path"/> this scope knows (a component's export, an
    /// argument's value), with how many path parts it used; null when nothing matches.
    /// </summary>
    (AlloyValue Value, int Used)? Resolve(IReadOnlyList<string> path, SourcePosition at);
}
