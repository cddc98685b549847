namespace PipelineSim.Core.Limits;

/// <summary>Why a listener's <c>accept(2)</c> failed, as far as a server's accept loop cares.</summary>
public enum AcceptFailure
{
    /// <summary>EMFILE or ENFILE: the process or the system is out of file descriptors.</summary>
    DescriptorsExhausted,

    /// <summary>EINTR: a signal interrupted the call.</summary>
    Interrupted,

    /// <summary>EAGAIN, EWOULDBLOCK or ETIMEDOUT.</summary>
    TimedOut,

    /// <summary>ECONNABORTED: a connection was reset while it waited in the backlog.</summary>
    ConnectionAborted,

    /// <summary>Anything else (ENOBUFS, ENOMEM, EINVAL, a closed listener, ...).</summary>
    Other,
}

/// <summary>
/// Go's <c>http.Server.Serve</c> answer to a failed accept (golang/go src/net/http/server.go, <c>Serve</c>): a
/// temporary error (<c>syscall.Errno.Temporary</c>: EINTR, EMFILE, ENFILE, or a timeout errno) is logged as
/// <c>http: Accept error: …; retrying in 5ms</c> and the loop sleeps, 5 ms the first time, doubling up to 1 s, and
/// starts over at 5 ms after the next successful accept. ECONNABORTED never reaches <c>Serve</c>: Go's
/// <c>poll.FD.Accept</c> (src/internal/poll/fd_unix.go) retries it at once. Any other error ends <c>Serve</c>.
/// Sans-I/O: the accept loop reports what happened and sleeps for what it is told.
/// </summary>
public sealed class AcceptBackoff
{
    /// <summary>The first wait after a successful accept.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(5);

    /// <summary>The waits double up to this.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    /// <summary>The last wait handed out; zero after a successful accept (Go's <c>tempDelay</c>).</summary>
    public TimeSpan CurrentDelay { get; private set; }

    /// <summary>Failures since the last successful accept.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>Whether Go keeps serving after this failure (<c>net.Error.Temporary()</c> on the accept error).</summary>
    public static bool IsTemporary(AcceptFailure failure) => failure != AcceptFailure.Other;

    /// <summary>
    /// An accept failed: how long to wait before the next one, or null when Go's server would stop serving.
    /// </summary>
    public TimeSpan? OnFailure(AcceptFailure failure)
    {
        if (!IsTemporary(failure)) return null;
        if (failure == AcceptFailure.ConnectionAborted) return TimeSpan.Zero;
        ConsecutiveFailures++;
        var next = CurrentDelay == TimeSpan.Zero ? FirstDelay : CurrentDelay * 2;
        CurrentDelay = next > MaxDelay ? MaxDelay : next;
        return CurrentDelay;
    }

    /// <summary>An accept returned a connection: the next failure waits <see cref="FirstDelay"/> again.</summary>
    public void OnAccepted()
    {
        CurrentDelay = TimeSpan.Zero;
        ConsecutiveFailures = 0;
    }
}
