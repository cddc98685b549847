using System.Text;
using PipelineSim.Scenarios.Problems;
using PipelineSim.Scenarios.Schema;
using PipelineSim.Scenarios.Yaml;

namespace PipelineSim.Scenarios;

/// <summary>
/// Loads a scenario file: YAML to a validated <see cref="Scenario"/>, or every problem found, each as
/// <c>file:line:col: path: message</c>. Never throws for bad input.
/// </summary>
public static class ScenarioLoader
{
    /// <summary>
    /// The largest scenario file read: 4 MiB. The shipped scenarios are a few KiB; without a bound, <c>validate /dev/zero</c> (or a pipe that never ends) would
    /// grow until memory runs out. Reading stops one byte past the bound, so the check works for pipes and devices too.
    /// </summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    public static Result<Scenario, IReadOnlyList<ScenarioProblem>> Load(string path) => Load(path, []);

    /// <param name="path">The scenario file.</param>
    /// <param name="overrides">Values that replace the file's before it is read (see <see cref="ScenarioOverride"/>).</param>
    public static Result<Scenario, IReadOnlyList<ScenarioProblem>> Load(string path, IReadOnlyList<ScenarioOverride> overrides)
    {
        var read = ReadFile(path);
        return read.IsOk ? Parse(Decode(read.Value), path, overrides) : Fail(read.Error);
    }

    /// <summary>
    /// The bytes of the file at <paramref name="path"/>, at most <see cref="MaxFileBytes"/>, or the problem that
    /// prevented reading them. Works for regular files, pipes, devices and <c>/dev/stdin</c>.
    /// </summary>
    public static Result<byte[], ScenarioProblem> ReadFile(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            return ReadBounded(stream) is { } bytes
                ? Result<byte[], ScenarioProblem>.Ok(bytes)
                : Result<byte[], ScenarioProblem>.Fail(Problem(path,
                    $"the file is larger than {MaxFileBytes / (1024 * 1024)} MiB, the most a scenario file may hold; stopped reading there"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Result<byte[], ScenarioProblem>.Fail(Problem(path, $"cannot read the file: {e.Message}"));
        }
    }

    /// <summary>The text of a file's bytes as <see cref="File.ReadAllText(string)"/> decodes them: UTF-8 unless a
    /// byte order mark chooses another encoding.</summary>
    public static string Decode(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <param name="text">The YAML.</param>
    /// <param name="file">The name problems are reported under; its stem is the default scenario name.</param>
    public static Result<Scenario, IReadOnlyList<ScenarioProblem>> Parse(string text, string file) => Parse(text, file, []);

    /// <param name="text">The YAML.</param>
    /// <param name="file">The name problems are reported under; its stem is the default scenario name.</param>
    /// <param name="overrides">Values that replace the file's before it is read; a problem with one says so.</param>
    public static Result<Scenario, IReadOnlyList<ScenarioProblem>> Parse(string text, string file, IReadOnlyList<ScenarioOverride> overrides)
    {
        var problems = new ProblemList(file);
        YamlNode? root = YamlTreeReader.Read(text, problems);
        if (root is null && !problems.Any) problems.Add(new TextPosition(1, 1), "", "the file is empty (expected a scenario: name, duration, sources, components)");
        int fileProblems = problems.Count;
        if (root is not null && overrides.Count > 0) root = OverrideApplier.Apply(root, overrides, problems);
        // An override that leads nowhere leaves nothing to read the scenario for: the user meant another path.
        bool overridesApplied = problems.Count == fileProblems;
        Scenario? scenario = root is null || !overridesApplied ? null : ScenarioReader.Read(root, problems, Path.GetFileNameWithoutExtension(file));
        return scenario is not null && !problems.Any
            ? Result<Scenario, IReadOnlyList<ScenarioProblem>>.Ok(scenario)
            : Result<Scenario, IReadOnlyList<ScenarioProblem>>.Fail([.. problems.ToList().Select(p => Attribute(p, overrides))]);
    }

    /// <summary>A problem with an overridden value names the override, since the file's line no longer holds that value.</summary>
    private static ScenarioProblem Attribute(ScenarioProblem problem, IReadOnlyList<ScenarioOverride> overrides)
    {
        var source = overrides.LastOrDefault(o => o.Path == problem.Path);
        return source is null || problem.Message.StartsWith("cannot set:", StringComparison.Ordinal)
            ? problem
            : problem with { Message = $"{problem.Message} (the value '{source.Value}' set on the command line)" };
    }

    /// <summary>The stream's bytes, or null when it holds more than <see cref="MaxFileBytes"/>.</summary>
    private static byte[]? ReadBounded(Stream stream)
    {
        var buffer = new byte[64 * 1024];
        using var content = new MemoryStream();
        int read;
        while ((read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, MaxFileBytes + 1L - content.Length))) > 0)
        {
            content.Write(buffer, 0, read);
            if (content.Length > MaxFileBytes) return null;
        }
        return content.ToArray();
    }

    private static ScenarioProblem Problem(string path, string message) => new(path, new TextPosition(1, 1), "", message);

    private static Result<Scenario, IReadOnlyList<ScenarioProblem>> Fail(ScenarioProblem problem) =>
        Result<Scenario, IReadOnlyList<ScenarioProblem>>.Fail([problem]);
}
