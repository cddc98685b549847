namespace PipelineSim.Analysis.Records;

/// <summary>
/// A file written under a temporary name beside its final path and renamed into place only when complete, so a run
/// that fails (or is killed) half way never leaves a truncated file under a name that looks finished. The temporary
/// name ends in <c>.partial</c>.
/// </summary>
internal sealed class AtomicFile : IDisposable
{
    private bool committed;

    private readonly FileStream file;

    public AtomicFile(string path)
    {
        FinalPath = Path.GetFullPath(path);
        TemporaryPath = FinalPath + ".partial";
        file = new FileStream(TemporaryPath, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        Stream = new SizeLimitAsIOException(file);
    }

    public string FinalPath { get; }

    /// <summary>Whether the file is in place under its final name.</summary>
    public bool Committed => committed;

    public string TemporaryPath { get; }

    /// <summary>Unbuffered: callers buffer (CsvHelper and the JSON writer both do).</summary>
    public Stream Stream { get; }

    /// <summary>Closes the file and moves it to its final name, replacing any file already there.</summary>
    public void Commit()
    {
        if (committed) return;
        file.Dispose();
        File.Move(TemporaryPath, FinalPath, overwrite: true);
        committed = true;
    }

    /// <summary>
    /// Without <see cref="Commit"/>, deletes the temporary file: nothing of an unfinished write remains. Closing an
    /// abandoned file flushes what is buffered, which fails again on a full disk; that failure is moot (the content is
    /// being thrown away) and must not stop the deletion, or the disk would stay full of <c>.partial</c> files.
    /// </summary>
    public void Dispose()
    {
        try
        {
            file.Dispose();
        }
        catch (IOException) when (!committed)
        {
        }
        finally
        {
            if (!committed) File.Delete(TemporaryPath);
        }
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

    /// <summary>
    /// The file, with a write past the process's file size limit (<c>ulimit -f</c>, errno EFBIG) reported as the I/O
    /// error it is: .NET throws <see cref="ArgumentOutOfRangeException"/> for it ("Specified file length was too large
    /// for the file system"), which would read as a bug rather than as the limit it is.
    /// </summary>
    private sealed class SizeLimitAsIOException(FileStream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            try
            {
                inner.Write(buffer);
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new IOException($"File too large: {inner.Name} reached the file size limit", e);
            }
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
