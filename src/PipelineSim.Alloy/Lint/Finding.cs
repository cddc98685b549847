using PipelineSim.Alloy.Config;
using PipelineSim.Alloy.Syntax;

namespace PipelineSim.Alloy.Lint;

/// <summary>
/// One thing <c>lint</c> found: a stable <see cref="Code"/>, the attributes involved (file:line:col), what is wrong,
/// why it matters and what to change, and the numbers behind it (<see cref="Figures"/>, in a stable order).
/// </summary>
public sealed record Finding(
    string Code,
    Severity Severity,
    IReadOnlyList<SourcePosition> At,
    string Message,
    string Why,
    string Fix,
    IReadOnlyList<KeyValuePair<string, string>> Figures)
{
    public static IReadOnlyList<KeyValuePair<string, string>> NoFigures { get; } = [];
}

/// <summary>What <c>lint</c> is told about the fleet, beyond the files.</summary>
public sealed record LintOptions
{
    /// <summary>Agents running the agents' config (each holds its own connections); null when not given.</summary>
    public int? Agents { get; init; }

    /// <summary>Replaces the sources' push interval.</summary>
    public TimeSpan? PushInterval { get; init; }
}

/// <summary>Everything <c>lint</c> reports on a set of files, and its exit code.</summary>
public sealed record LintReport(IReadOnlyList<string> Files, IReadOnlyList<AlloyDiagnostic> SyntaxErrors, IReadOnlyList<Finding> Findings)
{
    /// <summary>2 when a file cannot be read or parsed; 1 when an error or warning was found; 0 otherwise.</summary>
    public int ExitCode => SyntaxErrors.Count > 0 ? 2 : Findings.Any(f => f.Severity != Severity.Note) ? 1 : 0;
}
