using System.Runtime.InteropServices;

namespace PipelineSim.Cli.Running;

/// <summary>
/// Turns the first SIGINT (Ctrl+C) or SIGTERM into a cancelled token instead of an immediate exit, so a command
/// stops where it can and cleans up: a run removes its <c>*.partial</c> files (a killed fleet run used to leave
/// 170 MB of them) and exits with 128 + the signal's number, as a shell reports a killed process. A second signal
/// exits at once, so a command that does not watch the token can still be stopped.
/// </summary>
internal sealed class SignalCancellation : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly PosixSignalRegistration[] registrations;
    private int received;

    public SignalCancellation()
    {
        registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    public CancellationToken Token => source.Token;

    /// <summary>The exit code for a command stopped by the signal: 130 for SIGINT, 143 for SIGTERM.</summary>
    public int ExitCode => received switch
    {
        (int)PosixSignal.SIGINT => 128 + 2,
        (int)PosixSignal.SIGTERM => 128 + 15,
        _ => 1,
    };

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.CompareExchange(ref received, (int)context.Signal, 0) != 0) return; // the second one: default action
        context.Cancel = true;
        Console.Error.WriteLine($"pipelinesim: {(context.Signal == PosixSignal.SIGINT ? "interrupted" : "terminated")}, stopping (again to stop at once)");
        source.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in registrations) registration.Dispose();
        source.Dispose();
    }
}
