using System.Net;
using System.Runtime.InteropServices;
using PipelineSim.Core.Time;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PipelineSim.Cli.Commands;

/// <summary>Option parsing and the process lifetime shared by the <c>serve</c> commands.</summary>
internal static class LiveCommandSupport
{
    /// <summary><c>127.0.0.1:8080</c> or <c>[::1]:8080</c>; a bare port binds 127.0.0.1.</summary>
    public static bool TryParseEndPoint(string? text, out IPEndPoint endPoint)
    {
        endPoint = new IPEndPoint(IPAddress.Loopback, 0);
        if (string.IsNullOrWhiteSpace(text)) return false;
        if (int.TryParse(text, out int port) && port is >= 0 and <= 65535)
        {
            endPoint = new IPEndPoint(IPAddress.Loopback, port);
            return true;
        }
        if (text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase)) text = "127.0.0.1" + text["localhost".Length..];
        if (!IPEndPoint.TryParse(text, out var parsed) || !text.Contains(':')) return false;
        endPoint = parsed;
        return true;
    }

    public static ValidationResult? CheckEndPoint(string option, string? text) =>
        TryParseEndPoint(text, out _) ? null : ValidationResult.Error($"{option}: \"{text}\" is not ADDRESS:PORT (like 127.0.0.1:8080)");

    public static ValidationResult? CheckDuration(string option, string? text, bool allowZero = true)
    {
        if (text is null) return null;
        if (!GoDuration.TryParse(text, out var value, out string error)) return ValidationResult.Error($"{option}: {error}");
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
            return ValidationResult.Error($"{option}: {text} must be {(allowZero ? "zero or more" : "positive")}");
        return null;
    }

    /// <summary>
    /// A problem with an output directory option (<c>--out</c>), or null when it is absent or usable: an empty path
    /// (<c>--out ""</c>) names no directory, and a control character (a NUL ends a path in the operating system) cannot
    /// be in one. Checked before anything runs, so a long run does not fail at its end for want of a place to write.
    /// </summary>
    public static ValidationResult? CheckOutputDirectory(string option, string? path)
    {
        if (path is null) return null;
        if (string.IsNullOrWhiteSpace(path)) return ValidationResult.Error($"{option}: an empty path names no directory");
        if (path.Any(char.IsControl)) return ValidationResult.Error($"{option}: \"{path}\" contains a control character, which no path may hold");
        return null;
    }

    /// <summary>The first problem of several checks, or success.</summary>
    public static ValidationResult FirstProblem(params ValidationResult?[] checks) =>
        checks.FirstOrDefault(c => c is not null) ?? ValidationResult.Success();

    public static IPEndPoint EndPoint(string text) =>
        TryParseEndPoint(text, out var endPoint) ? endPoint : throw new FormatException(text);

    /// <summary>Blocks until Ctrl+C, SIGTERM or the command's token.</summary>
    public static async Task WaitForStopAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
