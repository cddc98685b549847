using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace PipelineSim.Kernel;

/// <summary>Asks the CPU to start loading an object's cache lines; a no-op where SSE is missing or the object is null.</summary>
public static class CacheHint
{
    private const int LineSize = 64;

    /// <summary>Prefetches every cache line holding the first <paramref name="bytes"/> of <paramref name="target"/>
    /// (objects are 8-byte aligned, so 128 bytes may span three lines).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch(object? target, int bytes = LineSize)
    {
        if (!Sse.IsSupported || target is null) return;
        Prefetch((byte*)Unsafe.As<object, nint>(ref target), bytes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void Prefetch(byte* start, int bytes)
    {
        byte* end = start + bytes;
        for (byte* line = (byte*)((nint)start & ~(nint)(LineSize - 1)); line < end; line += LineSize) Sse.Prefetch0(line);
    }
}
