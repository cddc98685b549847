namespace PipelineSim.Analysis.Records;

/// <summary>
/// A file written under a temporary name beside its final path and renamed into place only when complete, so a run
/// that fails (or is killed) half way never leaves a truncated file under a name that looks finished. The temporary
/// name ends in <c>.partial</c>.
/// </summary>
internal sealed class AtomicFile : IDisposable
{
    private bool committed;

    public AtomicFile(string path)
    {
        FinalPath = Path.GetFullPath(path);
        TemporaryPath = FinalPath + ".partial";
        Stream = new FileStream(TemporaryPath, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
    }

    public string FinalPath { get; }

    public string TemporaryPath { get; }

    /// <summary>Unbuffered: callers buffer (CsvHelper and the JSON writer both do).</summary>
    public FileStream Stream { get; }

    /// <summary>Closes the file and moves it to its final name, replacing any file already there.</summary>
    public void Commit()
    {
        if (committed) return;
        Stream.Dispose();
        File.Move(TemporaryPath, FinalPath, overwrite: true);
        committed = true;
    }

    /// <summary>Without <see cref="Commit"/>, deletes the temporary file: nothing of an unfinished write remains.</summary>
    public void Dispose()
    {
        Stream.Dispose();
        if (!committed) File.Delete(TemporaryPath);
    }

    /// <summary>Writes a whole file at once, atomically.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        using var file = new AtomicFile(path);
        file.Stream.Write(content);
        file.Commit();
    }

    public static void Write(string path, Action<Stream> write)
    {
        using var file = new AtomicFile(path);
        write(file.Stream);
        file.Commit();
    }
}
