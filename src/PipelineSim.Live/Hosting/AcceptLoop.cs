using System.Net.Sockets;
using PipelineSim.Core.Limits;

namespace PipelineSim.Live.Hosting;

/// <summary>
/// One listening socket's accept calls with Go's answer to a failed accept (Core's <see cref="AcceptBackoff"/>): out of
/// file descriptors, the server reports <c>accept: too many open files; retrying in 5ms</c>, waits, and keeps
/// serving once connections close, where an unguarded accept loop would spin, stop accepting or take the process
/// down. Every live listener (Kestrel's transport, the fault proxy) accepts through here.
/// </summary>
/// <remarks>
/// Unlike Go, the loop also stops short of the limit (<see cref="DescriptorBudget"/>): the .NET runtime aborts when it
/// cannot get a descriptor for itself, so the last few are left to it and the loop backs off as if accept had failed.
/// </remarks>
/// <param name="descriptorsPerConnection">What one accepted connection costs: 1, or 2 for a proxy that dials upstream.</param>
internal sealed class AcceptLoop(Socket listener, string name, Action<string>? warn, int descriptorsPerConnection = 1,
    DescriptorBudget? budget = null)
{
    private readonly DescriptorBudget descriptors = budget ?? DescriptorBudget.Process;
    private readonly AcceptBackoff backoff = new();
    private long retries;

    /// <summary>Accept errors waited out so far.</summary>
    public long Retries => Interlocked.Read(ref retries);

    /// <summary>
    /// The next accepted socket, or null once the listener is closed or <paramref name="cancellationToken"/> fires.
    /// A failure Go would not retry is thrown.
    /// </summary>
    public async ValueTask<Socket?> AcceptAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!descriptors.HasRoomFor(descriptorsPerConnection))
            {
                if (!await BackOffAsync(AcceptFailure.DescriptorsExhausted,
                        $"too many open files ({descriptors.Reserve} of {descriptors.Limit} kept free for the runtime)",
                        cancellationToken).ConfigureAwait(false))
                    return null;
                continue;
            }
            try
            {
                var socket = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
                backoff.OnAccepted();
                return socket;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted
                                             && cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException)
            {
                return null;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.OperationAborted)
            {
                return null; // the listening socket was closed under a pending accept
            }
            catch (SocketException e)
            {
                var failure = Classify(e);
                if (!AcceptBackoff.IsTemporary(failure)) throw;
                if (!await BackOffAsync(failure, failure == AcceptFailure.DescriptorsExhausted ? "too many open files" : e.Message, cancellationToken).ConfigureAwait(false)) return null;
            }
        }
    }

    /// <summary>Reports the failure and sleeps as Go's Serve does; false when the wait was cut short by a stop.</summary>
    private async ValueTask<bool> BackOffAsync(AcceptFailure failure, string reason, CancellationToken cancellationToken)
    {
        var wait = backoff.OnFailure(failure)!.Value;
        if (wait == TimeSpan.Zero) return true;
        Interlocked.Increment(ref retries);
        warn?.Invoke($"{name}: accept: {reason}; retrying in {(int)wait.TotalMilliseconds}ms");
        try
        {
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The errno behind a failed accept, in the terms of Go's <c>Errno.Temporary</c>.</summary>
    internal static AcceptFailure Classify(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.TooManyOpenSockets => AcceptFailure.DescriptorsExhausted,
        SocketError.Interrupted => AcceptFailure.Interrupted,
        SocketError.TimedOut or SocketError.WouldBlock or SocketError.TryAgain => AcceptFailure.TimedOut,
        SocketError.ConnectionAborted or SocketError.ConnectionReset => AcceptFailure.ConnectionAborted,
        // EMFILE (24) and ENFILE (23) by number, should a runtime map them to another SocketError.
        _ when OperatingSystem.IsLinux() && e.NativeErrorCode is 23 or 24 => AcceptFailure.DescriptorsExhausted,
        _ => AcceptFailure.Other,
    };
}
