namespace PipelineSim.Model.Runtime;

/// <summary>
/// How many bytes of each kind of object the handling of an event reads first (roughly the object's size), for the
/// prefetch hints handlers give the kernel (<see cref="Kernel.ITimerHandler.Prefetch"/>). Too small leaves a line
/// to miss; too large only costs bandwidth.
/// </summary>
internal static class HotBytes
{
    public const int Exchange = 192;
    public const int Flow = 160;
    public const int Push = 320;
    public const int ServerConnection = 128;
    public const int Transport = 128;
    public const int Caller = 128;
}
