using System.Buffers;
using System.IO.Compression;

namespace PipelineSim.Live.Receiver;

/// <summary>Why a request body could not be read.</summary>
internal enum BodyProblem
{
    None,

    /// <summary>More bytes than the limit arrived, or would after decompression.</summary>
    TooLarge,

    /// <summary>The gzip stream is corrupt or truncated.</summary>
    BadGzip,
}

/// <summary>
/// Reads a request body into exactly one array of its size, within a byte limit that also bounds the decompressed
/// size of a gzip body. The memory a request costs stays close to what it carries: a body of known length is read
/// straight into its array; one of unknown length goes through pooled chunks that go back to the pool; a gzip body
/// is inflated once into a pooled scratch buffer only to count its size, refused the moment the count passes the
/// limit, and inflated into its own array only when it fits. A 100 KB gzip bomb so costs about 100 KB, not the
/// limit (let alone the growing copies a MemoryStream makes on the way).
/// </summary>
internal static class RequestBodyReader
{
    private const int ChunkBytes = 64 * 1024; // below the large object heap threshold: pooled, gen0-friendly

    /// <summary>
    /// How much of a body a handler left unread the server still reads and discards so that the connection ends
    /// cleanly (and stays open for the next request): Go's <c>maxPostHandlerReadBytes</c>, 256 KiB
    /// (net/http/server.go). A server that closes with unread bytes makes the kernel send RST, which can destroy the
    /// answer before the client reads it.
    /// </summary>
    public const long UnreadAllowanceBytes = 256 * 1024;

    /// <summary>The transport's cap on a body for a reader limit of <paramref name="limit"/> bytes.</summary>
    public static long WithUnreadAllowance(long limit) =>
        limit > long.MaxValue - UnreadAllowanceBytes ? long.MaxValue : limit + UnreadAllowanceBytes;

    /// <summary>The body as sent, up to <paramref name="limit"/> bytes.</summary>
    public static async Task<(byte[]? Bytes, BodyProblem Problem)> ReadAsync(Stream body, long? contentLength, long limit,
        CancellationToken cancellationToken)
    {
        limit = Math.Min(limit, Array.MaxLength); // one array holds the body
        if (contentLength is long length)
        {
            if (length > limit) return (null, BodyProblem.TooLarge);
            var exact = GC.AllocateUninitializedArray<byte>((int)length);
            await body.ReadExactlyAsync(exact, cancellationToken).ConfigureAwait(false);
            return (exact, BodyProblem.None);
        }
        var chunks = new List<(byte[] Chunk, int Used)>();
        try
        {
            long total = 0;
            while (true)
            {
                var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
                int used = 0;
                try
                {
                    int read;
                    while (used < ChunkBytes && (read = await body.ReadAsync(chunk.AsMemory(used, ChunkBytes - used), cancellationToken)
                               .ConfigureAwait(false)) > 0)
                        used += read;
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(chunk);
                    throw;
                }
                chunks.Add((chunk, used));
                total += used;
                if (total > limit) return (null, BodyProblem.TooLarge);
                if (used < ChunkBytes) break; // the body ended inside this chunk
            }
            var bytes = GC.AllocateUninitializedArray<byte>((int)total);
            int at = 0;
            foreach (var (chunk, used) in chunks)
            {
                chunk.AsSpan(0, used).CopyTo(bytes.AsSpan(at));
                at += used;
            }
            return (bytes, BodyProblem.None);
        }
        finally
        {
            foreach (var (chunk, _) in chunks) ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>The inflated gzip body, refused as soon as it would pass <paramref name="limit"/> bytes.</summary>
    public static (byte[]? Bytes, BodyProblem Problem, string? Error) Gunzip(byte[] compressed, long limit)
    {
        limit = Math.Min(limit, Array.MaxLength);
        try
        {
            long size = InflatedSize(compressed, limit);
            if (size > limit) return (null, BodyProblem.TooLarge, null);
            if (!TrailerMatches(compressed, size)) return (null, BodyProblem.BadGzip, "gzip stream is truncated or corrupt");
            var plain = GC.AllocateUninitializedArray<byte>((int)size);
            using var gzip = new GZipStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
            gzip.ReadExactly(plain);
            return (plain, BodyProblem.None, null);
        }
        catch (InvalidDataException e)
        {
            return (null, BodyProblem.BadGzip, e.Message);
        }
        catch (EndOfStreamException)
        {
            return (null, BodyProblem.BadGzip, "unexpected end of the gzip stream");
        }
    }

    /// <summary>
    /// GZipStream ends quietly at a truncated stream where Go's gzip reader fails (io.ErrUnexpectedEOF): a stream
    /// needs at least its 10-byte header and 8-byte trailer, and the trailer's ISIZE is the inflated size modulo 2^32.
    /// (A stream of several members carries only the last member's size there: Connect clients send one.)
    /// </summary>
    private static bool TrailerMatches(byte[] compressed, long size) =>
        compressed.Length >= 18
        && System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Length - 4)) == (uint)size;

    /// <summary>Inflates into a scratch buffer, counting; stops at the first byte past the limit.</summary>
    private static long InflatedSize(byte[] compressed, long limit)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
            long size = 0;
            int read;
            while ((read = gzip.Read(scratch, 0, ChunkBytes)) > 0)
            {
                size += read;
                if (size > limit) return size;
            }
            return size;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
