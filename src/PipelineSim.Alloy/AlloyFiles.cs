using PipelineSim.Alloy.Config;
using PipelineSim.Alloy.Syntax;

namespace PipelineSim.Alloy;

/// <summary>Reads Alloy files from disk into a <see cref="PyroscopePipeline"/>; unreadable files become errors, not exceptions.</summary>
public static class AlloyFiles
{
    public static (PyroscopePipeline? Pipeline, IReadOnlyList<AlloyDiagnostic> ReadErrors) Load(IReadOnlyList<string> paths, AlloyInputs inputs)
    {
        var texts = new List<(string, string)>();
        var errors = new List<AlloyDiagnostic>();
        foreach (string path in paths)
        {
            try
            {
                texts.Add((path, File.ReadAllText(path)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                errors.Add(new AlloyDiagnostic(new SourcePosition(path, 1, 1), $"cannot read the file: {e.Message}"));
            }
        }
        if (errors.Count > 0) return (null, errors);
        return (PipelineReader.Read(AlloyConfig.Read(texts, inputs)), []);
    }
}
