using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PipelineSim.Live.Hosting;

/// <summary>
/// Keeps the last few file descriptors of the process for the .NET runtime. A Go server can use every descriptor
/// for connections and just back off its accepts; the runtime cannot: at zero free descriptors its next thread
/// (a pipe) or <c>/proc</c> read fails and it aborts with "Out of memory.". So accept loops stop short of the
/// limit: when fewer than <see cref="Reserve"/> descriptors are free they treat the accept as failed with
/// EMFILE and back off as Go does, until connections close. Linux only; elsewhere the budget never refuses.
/// </summary>
internal sealed class DescriptorBudget
{
    /// <summary>Far from the limit, the open descriptors are counted (in <c>/proc/self/fd</c>) at most this often.</summary>
    private static readonly TimeSpan RecountEvery = TimeSpan.FromMilliseconds(100);

    private readonly object gate = new();
    private readonly long limit;
    private long counted;
    private long grantedSinceCount;
    private long countedAt = long.MinValue;

    private DescriptorBudget(long limit)
    {
        this.limit = limit;
        // A quarter of the limit, at least 64 and at most 256, and never more than half of a tiny limit. 32 was not
        // enough: at a limit of 256, `serve proxy` flooded with 400 connections still aborted ("Out of memory.") in 2
        // of 10 runs, none in 12 with 64. Which runtime path takes the extra descriptors is not known yet.
        Reserve = limit <= 0 ? 0 : Math.Min(limit / 2, Math.Clamp(limit / 4, 64, 256));
    }

    /// <summary>The process-wide budget (every listener of the process shares the descriptor table).</summary>
    public static DescriptorBudget Process { get; } = new(OpenFilesLimit());

    /// <summary>The soft RLIMIT_NOFILE; 0 where it is unknown (then nothing is refused).</summary>
    public long Limit => limit;

    /// <summary>Descriptors kept free for the runtime.</summary>
    public long Reserve { get; }

    /// <summary>
    /// Whether a connection that takes <paramref name="descriptors"/> descriptors (a proxied flow takes two) leaves
    /// the reserve free. Counts the open descriptors when the estimate (the last count plus what was granted since)
    /// comes within the reserve of the ceiling, and otherwise at most every <see cref="RecountEvery"/>, since other
    /// code (outgoing connections, files) opens descriptors too.
    /// </summary>
    public bool HasRoomFor(int descriptors)
    {
        if (limit <= 0) return true;
        lock (gate)
        {
            long ceiling = limit - Reserve;
            long now = Stopwatch.GetTimestamp();
            bool near = counted + grantedSinceCount + descriptors + Reserve >= ceiling;
            if (near || countedAt == long.MinValue || Stopwatch.GetElapsedTime(countedAt, now) >= RecountEvery)
            {
                if (CountOpen() is long open)
                {
                    counted = open;
                    grantedSinceCount = 0;
                    countedAt = now;
                }
            }
            if (counted + grantedSinceCount + descriptors > ceiling) return false;
            grantedSinceCount += descriptors;
            return true;
        }
    }

    private static long? CountOpen()
    {
        try
        {
            return Directory.EnumerateFileSystemEntries("/proc/self/fd").LongCount();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // opening the directory itself needs a descriptor: keep the estimate
        }
    }

    private static long OpenFilesLimit()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        try
        {
            return getrlimit(RlimitNofile, out var limits) == 0 && limits.Current < long.MaxValue ? (long)limits.Current : 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 0;
        }
    }

    private const int RlimitNofile = 7; // Linux

    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrlimit(int resource, out ResourceLimit limits);
}
