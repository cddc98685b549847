namespace PipelineSim.Core.Records;

/// <summary>The connection an attempt rode, as its record shows it.</summary>
/// <param name="Id">Unique within a run; -1 when no connection was obtained.</param>
/// <param name="Reused">Taken from the idle pool rather than dialed.</param>
/// <param name="IdleBefore">How long a reused connection had sat idle.</param>
public readonly record struct AttemptConnection(long Id, bool Reused, TimeSpan IdleBefore)
{
    public static AttemptConnection None => new(-1, false, TimeSpan.Zero);
}
