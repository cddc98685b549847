using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace PipelineSim.Kernel;

/// <summary>Asks the CPU to start loading an object's first cache lines; a no-op where SSE is missing or the object is null.</summary>
public static class CacheHint
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch(object? target, int lines = 1)
    {
        if (!Sse.IsSupported || target is null) return;
        byte* at = (byte*)Unsafe.As<object, nint>(ref target);
        for (int i = 0; i < lines; i++) Sse.Prefetch0(at + 64 * i);
    }
}
