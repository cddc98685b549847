using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using PipelineSim.Core.Server;
using PipelineSim.Core.Time;
using PipelineSim.Live.Time;

namespace PipelineSim.Live.Hosting;

/// <summary>
/// Go <c>http.Server</c> timeouts on Kestrel connections. Core's <see cref="ServerConnectionTimeouts"/> decides every
/// deadline; this driver only reports what Kestrel did and when (accepted, request bytes readable, headers read, body
/// read, handler finished) and aborts the connection when Core's pending deadline passes. Kestrel's own keep-alive and
/// request-header timeouts are switched off (<see cref="KestrelHost"/>): they count differently (a fresh connection
/// waits KeepAliveTimeout, not Go's ReadTimeout) and on a 1 s heartbeat.
/// </summary>
internal sealed class GoServerConnections(GoServerTimeouts timeouts, LiveClock clock)
{
    private static readonly object ItemKey = new();

    public GoServerTimeouts Timeouts => timeouts;

    /// <summary>The connection middleware: one Core state machine and one deadline timer per accepted connection.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        using var served = new ServedConnection(timeouts, clock, connection);
        connection.Items[ItemKey] = served;
        connection.Transport = served.Observe(connection.Transport);
        await next(connection).ConfigureAwait(false);
    };

    /// <summary>
    /// Kestrel has just read a request's headers. False: Go's header deadline had passed first and the connection is
    /// aborted (do not answer). <paramref name="request"/> is null when the connection did not come through
    /// <see cref="Wrap"/> (no Go deadline applies); otherwise dispose it when the handler is done.
    /// </summary>
    public static bool TryBegin(HttpContext http, out ServedRequest? request)
    {
        request = null;
        var items = http.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is null || !items.TryGetValue(ItemKey, out var value) || value is not ServedConnection served) return true;
        request = served.OnHeadersRead(http);
        if (request is not null) http.Items[ItemKey] = request;
        return request is not null;
    }

    /// <summary>
    /// The handler has read the whole request body (<see cref="ServedRequest.BodyRead"/> for the request of
    /// <paramref name="http"/>). False: Go's read deadline had passed and the connection is aborted.
    /// </summary>
    public static bool BodyRead(HttpContext http) =>
        !http.Items.TryGetValue(ItemKey, out var value) || value is not ServedRequest request || request.BodyRead();

    /// <summary>One accepted connection: Core's state, and the timer that closes the connection at its next deadline.</summary>
    internal sealed class ServedConnection : IDisposable
    {
        private readonly object gate = new();
        private readonly LiveClock clock;
        private readonly ConnectionContext connection;
        private readonly ServerConnectionTimeouts core;
        private CancellationTokenSource? timer;
        private long generation;
        private bool disposed;

        public ServedConnection(GoServerTimeouts timeouts, LiveClock clock, ConnectionContext connection)
        {
            this.clock = clock;
            this.connection = connection;
            // Go's first readRequest takes t0 in the goroutine (*Server).Serve starts as Accept returns (golang/go
            // src/net/http/server.go); Kestrel runs this middleware only after dispatching the connection to the thread
            // pool. The transport's accept stamp is the nearer instant, and the one the simulator and the request's
            // deadline anchor (ConnectionAccept) count from; without a stamp, now.
            core = new ServerConnectionTimeouts(timeouts, ConnectionAccept.Of(connection)?.At ?? clock.Now);
            lock (gate) ArmLocked();
        }

        public IDuplexPipe Observe(IDuplexPipe transport) => new ObservedPipe(transport, this);

        /// <summary>Bytes became readable: on an idle connection they start the next request's read (Go's t0).</summary>
        public void OnBytesReadable()
        {
            lock (gate)
            {
                if (core.Phase != ServerConnectionPhase.Idle) return;
                if (!core.OnRequestBytes(clock.Now)) AbortLocked("idle timeout");
                else ArmLocked();
            }
        }

        public ServedRequest? OnHeadersRead(HttpContext http)
        {
            lock (gate)
            {
                if (!core.OnHeadersRead(clock.Now, out var writeDeadline))
                {
                    AbortLocked("read header timeout");
                    return null;
                }
                ArmLocked();
                return new ServedRequest(this, http, writeDeadline);
            }
        }

        /// <summary>The read deadline the request body must be read by (Go: t0 + ReadTimeout).</summary>
        public Deadline BodyDeadline
        {
            get
            {
                lock (gate) return core.Next.Kind == ServerTimeoutKind.ReadBody ? core.Next.At : Deadline.None;
            }
        }

        public bool OnBodyRead()
        {
            lock (gate)
            {
                bool read = core.OnBodyRead(clock.Now);
                if (!read) AbortLocked("read timeout");
                else ArmLocked();
                return read;
            }
        }

        public ResponseWrite OnHandlerFinished(Deadline writeDeadline)
        {
            lock (gate)
            {
                var write = core.OnHandlerFinished(clock.Now, writeDeadline);
                if (write == ResponseWrite.TimedOut) AbortLocked("write timeout");
                else ArmLocked();
                return write;
            }
        }

        private void ArmLocked()
        {
            timer?.Dispose();
            timer = null;
            long armed = ++generation;
            var next = core.Next;
            if (disposed || next.Kind == ServerTimeoutKind.None) return;
            timer = clock.CancelAt(next.At);
            timer.Token.Register(() => OnTimer(armed));
        }

        private void OnTimer(long armed)
        {
            lock (gate)
            {
                if (armed != generation || disposed) return;
                var fired = core.Tick(clock.Now);
                if (fired != ServerTimeoutKind.None) AbortLocked(fired + " timeout");
            }
        }

        private void AbortLocked(string reason)
        {
            core.OnClosed();
            generation++;
            connection.Abort(new ConnectionAbortedException("Go server " + reason));
        }

        public void Dispose()
        {
            lock (gate)
            {
                disposed = true;
                generation++;
                core.OnClosed();
                timer?.Dispose();
                timer = null;
            }
        }
    }

    /// <summary>One request on a served connection: its write deadline, and the end of its handler.</summary>
    internal sealed class ServedRequest(ServedConnection connection, HttpContext http, Deadline writeDeadline) : IDisposable
    {
        private int finished;

        /// <summary>The deadline the body must be read by.</summary>
        public Deadline BodyDeadline => connection.BodyDeadline;

        /// <summary>The body is read: false when the read deadline had passed (the connection is aborted).</summary>
        public bool BodyRead() => connection.OnBodyRead();

        /// <summary>
        /// The handler is done and about to write its answer. False: Go's write deadline has passed, the connection is
        /// aborted and nothing may be written.
        /// </summary>
        public bool TryWriteResponse()
        {
            if (Interlocked.Exchange(ref finished, 1) != 0) return !http.RequestAborted.IsCancellationRequested;
            return connection.OnHandlerFinished(writeDeadline) == ResponseWrite.Written;
        }

        public void Dispose() => TryWriteResponse();
    }

    private sealed class ObservedPipe(IDuplexPipe inner, ServedConnection connection) : IDuplexPipe
    {
        public PipeReader Input { get; } = new ObservedReader(inner.Input, connection);

        public PipeWriter Output => inner.Output;
    }

    /// <summary>Reports each read that returns bytes: how an idle connection learns its next request has begun.</summary>
    private sealed class ObservedReader(PipeReader inner, ServedConnection connection) : DelegatingPipeReader(inner)
    {
        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var result = await base.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (!result.Buffer.IsEmpty) connection.OnBytesReadable();
            return result;
        }

        public override bool TryRead(out ReadResult result)
        {
            if (!base.TryRead(out result)) return false;
            if (!result.Buffer.IsEmpty) connection.OnBytesReadable();
            return true;
        }
    }
}
