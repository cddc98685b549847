using System.Runtime.CompilerServices;
using PipelineSim.Live.Harness;

// The tests measure real time on a shared two-core machine: run them one at a time so timings stay honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace PipelineSim.Live.Tests.Support;

internal static class TestProcess
{
    /// <summary>
    /// Every test gets the thread pool headroom a live run sets up (<see cref="ThreadPoolHeadroom"/>), whichever test
    /// runs first: without it the first tests' timers fired up to half a second late while the pool grew.
    /// </summary>
    [ModuleInitializer]
    internal static void RaiseThreadPoolHeadroom() => ThreadPoolHeadroom.Ensure();
}
