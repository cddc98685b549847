using PipelineSim.Core.Time;

namespace PipelineSim.Core.Server;

/// <summary>
/// The deadlines of one Go <c>http.Server</c> connection, as a sans-I/O state machine in the manner of Kestrel's
/// <c>TimeoutControl</c>: the driver reports what happened and when (accepted, request bytes arrived, headers read,
/// body read, handler finished) and asks for the next deadline and what happens at it. It never reads a clock.
/// <para>
/// Go's rules (src/net/http/server.go, <c>conn.serve</c> and <c>conn.readRequest</c>):
/// <list type="bullet">
/// <item><c>readRequest</c> takes <c>t0 = now</c> when it starts reading a request, also the first on a fresh
/// connection (so a connection that never sends anything is closed at accept + ReadHeaderTimeout, or + ReadTimeout
/// when that is zero), and sets the read deadline to <c>t0 + readHeaderTimeout()</c>.</item>
/// <item>Once the headers are read, the read deadline becomes <c>t0 + ReadTimeout</c> (the whole request, body
/// included, still from <c>t0</c>) and the write deadline <c>now + WriteTimeout</c>.</item>
/// <item>When the body has been read, the background read clears the read deadline (<c>startBackgroundRead</c>): a
/// long handler is not bounded by ReadTimeout, only its response write by the write deadline.</item>
/// <item>After the response, the read deadline is <c>now + idleTimeout()</c> while <c>bufr.Peek</c> waits for the
/// next request; the next <c>readRequest</c> starts when its first bytes are there.</item>
/// </list>
/// A deadline at instant t has passed at t: <c>internal/poll.setDeadlineImpl</c> turns a deadline equal to now into
/// "already expired", so an operation at exactly the deadline fails (<see cref="Deadline.IsExpired"/>).
/// </para>
/// <para>
/// <paramref name="multiplexed"/> is HTTP/2 (x/net/http2 server): several requests run at once, a write past its
/// write deadline fails that stream only, and the connection is idle when none is running.
/// </para>
/// <para>
/// A struct, so a driver keeping many thousands of connections holds it inside its own connection object (one cache
/// miss fewer per request in the simulator at 100,000 agents); keep it in a field and call it in place, never through
/// a copy. <see cref="ServerConnectionTimeouts"/> is the same rules behind a reference.
/// </para>
/// </summary>
public struct ServerConnectionDeadlines(GoServerTimeouts timeouts, Instant acceptedAt, bool multiplexed = false)
{
    private Deadline readDeadline = HeaderDeadline(timeouts, acceptedAt);
    private Instant requestStart = acceptedAt;
    private int handling;

    public readonly GoServerTimeouts Timeouts => timeouts;

    public ServerConnectionPhase Phase { get; private set; } = ServerConnectionPhase.ReadingHeaders;

    /// <summary>Requests whose headers were read and whose handlers have not finished.</summary>
    public readonly int Handling => handling;

    /// <summary>True while the first request of the connection is still awaited.</summary>
    public bool AwaitingFirstRequest { get; private set; } = true;

    /// <summary>The pending deadline that closes the connection when it passes, and which one it is.</summary>
    public readonly ServerDeadline Next => Phase switch
    {
        ServerConnectionPhase.ReadingHeaders when readDeadline.HasValue => new(readDeadline, ServerTimeoutKind.ReadHeader),
        ServerConnectionPhase.ReadingBody when readDeadline.HasValue => new(readDeadline, ServerTimeoutKind.ReadBody),
        ServerConnectionPhase.Idle when readDeadline.HasValue => new(readDeadline, ServerTimeoutKind.Idle),
        _ => ServerDeadline.None,
    };

    /// <summary>
    /// The driver's timer (or any event) at <paramref name="now"/>: if the pending deadline has passed, the server
    /// closes the connection and the kind that closed it is returned; otherwise <see cref="ServerTimeoutKind.None"/>.
    /// </summary>
    public ServerTimeoutKind Tick(Instant now)
    {
        var next = Next;
        if (next.Kind == ServerTimeoutKind.None || !next.At.IsExpired(now)) return ServerTimeoutKind.None;
        Phase = ServerConnectionPhase.Closed;
        return next.Kind;
    }

    /// <summary>
    /// The first bytes of a request are readable at <paramref name="now"/>. On an idle connection this starts Go's
    /// <c>readRequest</c> (its <c>t0</c>). False: a deadline passed first and the connection is closed.
    /// </summary>
    public bool OnRequestBytes(Instant now)
    {
        if (Tick(now) != ServerTimeoutKind.None || Phase == ServerConnectionPhase.Closed) return false;
        if (Phase == ServerConnectionPhase.Idle)
        {
            requestStart = now;
            readDeadline = HeaderDeadline(timeouts, now);
            Phase = ServerConnectionPhase.ReadingHeaders;
        }
        return true;
    }

    /// <summary>
    /// The request headers are read at <paramref name="now"/>: the read deadline becomes the whole-request one and
    /// <paramref name="writeDeadline"/> is set for this request's response. False: a deadline passed first (closed).
    /// </summary>
    public bool OnHeadersRead(Instant now, out Deadline writeDeadline)
    {
        writeDeadline = Deadline.None;
        if (!OnRequestBytes(now)) return false;
        writeDeadline = timeouts.Write != TimeSpan.Zero ? Deadline.After(now, timeouts.Write) : Deadline.None;
        handling++;
        AwaitingFirstRequest = false;
        if (Phase == ServerConnectionPhase.ReadingHeaders)
        {
            readDeadline = timeouts.Read != TimeSpan.Zero ? Deadline.After(requestStart, timeouts.Read) : Deadline.None;
            Phase = ServerConnectionPhase.ReadingBody;
        }
        return true;
    }

    /// <summary>
    /// The whole body is read at <paramref name="now"/>: Go's background read clears the read deadline. False: the
    /// whole-request deadline passed first; the read fails and the connection is closed.
    /// </summary>
    public bool OnBodyRead(Instant now)
    {
        if (Phase == ServerConnectionPhase.Handling) return true; // another stream of a multiplexed connection
        if (Tick(now) != ServerTimeoutKind.None || Phase != ServerConnectionPhase.ReadingBody) return false;
        readDeadline = Deadline.None;
        Phase = ServerConnectionPhase.Handling;
        return true;
    }

    /// <summary>A whole request arrived at once (the simulator's packets): bytes, headers and body read at <paramref name="now"/>.</summary>
    public bool OnRequestRead(Instant now, out Deadline writeDeadline) =>
        OnHeadersRead(now, out writeDeadline) && OnBodyRead(now);

    /// <summary>
    /// A handler finished at <paramref name="now"/> and its response is written against <paramref name="writeDeadline"/>.
    /// The write fails at or after the deadline; on HTTP/1.1 the failed write closes the connection, on HTTP/2 it
    /// fails that stream. When no handler is left running, the connection goes idle until <c>now + idleTimeout()</c>.
    /// </summary>
    public ResponseWrite OnHandlerFinished(Instant now, Deadline writeDeadline)
    {
        if (Phase == ServerConnectionPhase.Closed) return ResponseWrite.ConnectionClosed;
        if (handling > 0) handling--;
        if (writeDeadline.IsExpired(now))
        {
            if (!multiplexed)
            {
                Phase = ServerConnectionPhase.Closed;
                return ResponseWrite.TimedOut;
            }
            GoIdleIfDone(now);
            return ResponseWrite.TimedOut;
        }
        GoIdleIfDone(now);
        return ResponseWrite.Written;
    }

    /// <summary>The connection closed for another reason (a client FIN, a reset, a restart).</summary>
    public void OnClosed() => Phase = ServerConnectionPhase.Closed;

    private void GoIdleIfDone(Instant now)
    {
        if (handling > 0) return;
        var idle = timeouts.EffectiveIdle;
        readDeadline = idle != TimeSpan.Zero ? Deadline.After(now, idle) : Deadline.None;
        Phase = ServerConnectionPhase.Idle;
    }

    private static Deadline HeaderDeadline(GoServerTimeouts timeouts, Instant start)
    {
        var header = timeouts.EffectiveReadHeader;
        return header != TimeSpan.Zero ? Deadline.After(start, header) : Deadline.None;
    }
}

/// <summary>
/// <see cref="ServerConnectionDeadlines"/> behind a reference, for holders that pass the connection's state around
/// (the live receiver's connections, tests).
/// </summary>
public sealed class ServerConnectionTimeouts(GoServerTimeouts timeouts, Instant acceptedAt, bool multiplexed = false)
{
    private ServerConnectionDeadlines state = new(timeouts, acceptedAt, multiplexed);

    public GoServerTimeouts Timeouts => state.Timeouts;

    public ServerConnectionPhase Phase => state.Phase;

    /// <inheritdoc cref="ServerConnectionDeadlines.Handling"/>
    public int Handling => state.Handling;

    /// <inheritdoc cref="ServerConnectionDeadlines.AwaitingFirstRequest"/>
    public bool AwaitingFirstRequest => state.AwaitingFirstRequest;

    /// <inheritdoc cref="ServerConnectionDeadlines.Next"/>
    public ServerDeadline Next => state.Next;

    /// <inheritdoc cref="ServerConnectionDeadlines.Tick"/>
    public ServerTimeoutKind Tick(Instant now) => state.Tick(now);

    /// <inheritdoc cref="ServerConnectionDeadlines.OnRequestBytes"/>
    public bool OnRequestBytes(Instant now) => state.OnRequestBytes(now);

    /// <inheritdoc cref="ServerConnectionDeadlines.OnHeadersRead"/>
    public bool OnHeadersRead(Instant now, out Deadline writeDeadline) => state.OnHeadersRead(now, out writeDeadline);

    /// <inheritdoc cref="ServerConnectionDeadlines.OnBodyRead"/>
    public bool OnBodyRead(Instant now) => state.OnBodyRead(now);

    /// <inheritdoc cref="ServerConnectionDeadlines.OnRequestRead"/>
    public bool OnRequestRead(Instant now, out Deadline writeDeadline) => state.OnRequestRead(now, out writeDeadline);

    /// <inheritdoc cref="ServerConnectionDeadlines.OnHandlerFinished"/>
    public ResponseWrite OnHandlerFinished(Instant now, Deadline writeDeadline) => state.OnHandlerFinished(now, writeDeadline);

    /// <inheritdoc cref="ServerConnectionDeadlines.OnClosed"/>
    public void OnClosed() => state.OnClosed();
}

/// <summary>What became of a response the handler finished.</summary>
public enum ResponseWrite
{
    /// <summary>Written before the write deadline.</summary>
    Written,

    /// <summary>The write deadline had passed: the client gets no answer (HTTP/1.1: the connection closes).</summary>
    TimedOut,

    /// <summary>The connection was already closed: nothing to write to.</summary>
    ConnectionClosed,
}
