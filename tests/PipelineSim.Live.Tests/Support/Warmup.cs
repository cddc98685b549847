using PipelineSim.Live.Harness;

namespace PipelineSim.Live.Tests.Support;

/// <summary>Tests that measure milliseconds first warm the process up (see <see cref="LiveWarmup"/>).</summary>
internal static class Warmup
{
    public static Task EnsureAsync() => LiveWarmup.EnsureAsync();
}
