namespace PipelineSim.Live.Harness;

/// <summary>
/// A live run's timing is its result. .NET starts with as many pool threads as cores and adds one only after about
/// half a second of starvation; on a loaded two-core machine a couple of pool threads blocked for a moment (a lock
/// whose holder the kernel descheduled) hold every timer and socket continuation back for that half second, which a
/// time scale of 1/10 turns into 5 s of scenario time. With headroom, a blocked thread costs nothing: the pool
/// starts another at once. The setting is process-wide and only ever raised.
/// </summary>
internal static class ThreadPoolHeadroom
{
    private const int MinimumThreads = 64;

    public static void Ensure()
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        if (workers >= MinimumThreads && io >= MinimumThreads) return;
        ThreadPool.SetMinThreads(Math.Max(workers, MinimumThreads), Math.Max(io, MinimumThreads));
    }
}
