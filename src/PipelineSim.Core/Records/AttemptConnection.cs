namespace PipelineSim.Core.Records;

/// <summary>The connection an attempt rode, as its record shows it.</summary>
/// <param name="Id">Unique within a run; -1 when no connection was obtained.</param>
/// <param name="Reused">Taken from the idle pool rather than dialed.</param>
/// <param name="IdleBefore">How long a reused connection had sat idle.</param>
/// <param name="BacklogWait">
/// How long the connection waited in the server's accept backlog, on the attempt that dialed it; null where the
/// driver cannot see it (live: the kernel's accept queue is invisible to the client).
/// </param>
public readonly record struct AttemptConnection(long Id, bool Reused, TimeSpan IdleBefore, TimeSpan? BacklogWait = null)
{
    public static AttemptConnection None => new(-1, false, TimeSpan.Zero);
}
