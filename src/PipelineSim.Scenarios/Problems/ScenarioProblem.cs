using PipelineSim.Spec;

namespace PipelineSim.Scenarios.Problems;

/// <summary>
/// One thing wrong with a scenario file, shown to the user as <c>file:line:col: path: message</c>, where
/// <see cref="Path"/> names the field (<c>components.w1.endpoints[0].remote_timeout</c>) and is empty for problems
/// that belong to no field, such as a YAML syntax error. The line is escaped (<see cref="PrintableText"/>): it quotes
/// the file, and what a file holds must not reach the terminal as control characters or a second line.
/// </summary>
public sealed record ScenarioProblem(string File, TextPosition Position, string Path, string Message)
{
    public override string ToString() => PrintableText.Escape(
        Path.Length == 0 ? $"{File}:{Position}: {Message}" : $"{File}:{Position}: {Path}: {Message}");
}
