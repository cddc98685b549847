namespace PipelineSim.Core.Time;

/// <summary>Placeholder so records compile; the Core helper replaces this file with the real type.</summary>
public readonly record struct Deadline
{
    public static Deadline None => default;
}
