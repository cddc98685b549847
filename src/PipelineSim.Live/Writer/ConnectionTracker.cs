using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using PipelineSim.Core.Options;
using PipelineSim.Core.Pooling;
using PipelineSim.Core.Time;
using PipelineSim.Live.Time;

namespace PipelineSim.Live.Writer;

/// <summary>
/// What one attempt learned about the connection it rode, filled in by <see cref="ConnectionTracker"/> from inside
/// <c>SocketsHttpHandler</c> (the equivalent of Go's httptrace GotConnInfo: Reused, WasIdle, IdleTime).
/// </summary>
internal sealed class ConnectionProbe
{
    private static readonly AsyncLocal<ConnectionProbe?> Ambient = new();

    /// <summary>-1 until the request was written to a connection.</summary>
    public long ConnectionId { get; set; } = -1;

    public bool Reused { get; set; }

    public TimeSpan IdleBefore { get; set; }

    /// <summary>The connection the request was written to (null until then), for <see cref="ConnectionTracker.Returned"/>.</summary>
    internal Stream? Connection { get; set; }

    internal static ConnectionProbe? Current => Ambient.Value;

    /// <summary>Makes this probe the one the handler's writes report to, for the calling async flow.</summary>
    public void Attach() => Ambient.Value = this;
}

/// <summary>
/// Dials every connection of one writer endpoint the way Go's zero <c>net.Dialer</c> does for Alloy (no dial timeout,
/// TCP_NODELAY, TCP keep-alive 15 s / 15 s / 9 probes), and numbers the connections. The request bytes of an HTTP/1.1
/// request are written on the caller's async flow, so the first write tells which connection the attempt rode and
/// whether the pool had it before.
/// </summary>
/// <remarks>
/// Which idle connections stay open is Core's <see cref="IdleConnectionPool{TConn}"/>'s to decide, as in the simulator
/// (Go's tryPutIdleConn and idle timer, src/net/http/transport.go), on this run's clock: a connection whose response
/// was read (<see cref="Returned"/>) enters Core's pool, one Core refuses (MaxIdleConnsPerHost) or expires
/// (IdleConnTimeout) is closed here. SocketsHttpHandler keeps the connections themselves with no idle timeout of its
/// own, and takes the most recently returned first, as Core does; it checks a pooled connection before reusing it
/// (a read on a closed stream ends at once), so a connection closed here is never reused.
/// </remarks>
internal sealed class ConnectionTracker
{
    private static long lastId;
    private readonly TcpKeepAliveOptions keepAlive;
    private readonly LiveClock clock;
    private readonly IdleConnectionPool<TrackedStream> idle;
    private int open;
    private long lateDialsClosed;

    public ConnectionTracker(HttpTransportOptions transport, LiveClock clock)
    {
        keepAlive = transport.KeepAlive;
        this.clock = clock;
        idle = new IdleConnectionPool<TrackedStream>(transport.MaxIdleConnsPerHost, transport.IdleConnTimeout);
    }

    private LiveClock Clock => clock;

    /// <summary>
    /// The attempt that <paramref name="probe"/> followed read its whole response: its connection is back in the pool.
    /// Core's pool keeps it, or refuses it when MaxIdleConnsPerHost are idle already (then it is closed, as Go closes
    /// it); it is closed when it has been idle for IdleConnTimeout.
    /// </summary>
    public void Returned(ConnectionProbe probe)
    {
        if (probe.Connection is not TrackedStream connection) return;
        var expired = new List<TrackedStream>();
        bool kept;
        lock (idle)
        {
            // Closed already, or the handler pooled it and handed it to another request before this call: not idle.
            if (connection.IsClosed || !connection.LastServed(probe)) return;
            // Read under the lock: Core's pool takes returns in time order, and two returns racing from different
            // threads must not swap their instants (the later one failed its push with "Time went backwards.").
            var now = clock.Now;
            kept = idle.Return(connection, now, expired);
            if (kept) connection.WatchIdle(idle.IdleTimeout is TimeSpan timeout ? now + timeout : null);
        }
        if (!kept) expired.Add(connection);
        foreach (var stale in expired) stale.Dispose();
    }

    /// <summary>Go's idle timer for one connection: at <paramref name="at"/>, Core's pool evicts what has expired.</summary>
    private async Task ExpireAsync(Instant at, CancellationToken reused)
    {
        try
        {
            await clock.DelayUntil(at, reused).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        var expired = new List<TrackedStream>();
        lock (idle) idle.EvictExpired(clock.Now, expired);
        foreach (var stale in expired) stale.Dispose();
    }

    /// <summary>Connections dialled and not yet closed.</summary>
    public int Open => Volatile.Read(ref open);

    /// <summary>Dials that completed after their request was gone and were closed unused (<see cref="ConnectDetachedAsync"/>).</summary>
    public long LateDialsClosed => Interlocked.Read(ref lateDialsClosed);

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken) =>
        Track(await DialAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// The dial of a transport that may not reuse a free connection (Core's <c>FreeConnection.MayBeReused</c> is
    /// false, as with <c>disable_keep_alives</c>). The dial goes on after its request gave up, as Go 1.23's detached
    /// dials do (golang/go#59017), and a connection it completes for a request that is gone
    /// (<paramref name="requestGone"/>, or the handler cancelled the wait) is closed at once: Go's
    /// <c>tryPutIdleConn</c> answers <c>errKeepAlivesDisabled</c> (src/net/http/transport.go), so such a
    /// connection is neither handed to another request nor pooled.
    /// </summary>
    public async ValueTask<Stream> ConnectDetachedAsync(SocketsHttpConnectionContext context, Func<bool> requestGone,
        CancellationToken cancellationToken)
    {
        var dial = DialAsync(context.DnsEndPoint, CancellationToken.None);
        try
        {
            await dial.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _ = CloseWhenDialledAsync(dial);
            throw;
        }
        var socket = await dial.ConfigureAwait(false);
        if (!requestGone()) return Track(socket);
        CloseLate(socket);
        throw new OperationCanceledException("the request that started this dial is gone; keep-alives are off, so the connection is closed");
    }

    private async Task CloseWhenDialledAsync(Task<Socket> dial)
    {
        try
        {
            CloseLate(await dial.ConfigureAwait(false));
        }
        catch (SocketException)
        {
            // The late dial failed by itself: nothing to close.
        }
    }

    private void CloseLate(Socket socket)
    {
        Interlocked.Increment(ref lateDialsClosed);
        socket.Dispose();
    }

    private async Task<Socket> DialAsync(DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            ApplyKeepAlive(socket);
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private TrackedStream Track(Socket socket)
    {
        Interlocked.Increment(ref open);
        return new TrackedStream(new NetworkStream(socket, ownsSocket: true), Interlocked.Increment(ref lastId), this);
    }

    private void ApplyKeepAlive(Socket socket) => ApplyKeepAlive(socket, keepAlive, clock);

    /// <summary>Go's dialer keep-alive (TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT), scaled to wall time.</summary>
    internal static void ApplyKeepAlive(Socket socket, TcpKeepAliveOptions keepAlive, LiveClock clock)
    {
        if (!keepAlive.Enabled) return;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        // The kernel counts these in whole seconds, so a scaled run cannot go below one second.
        int WholeSeconds(TimeSpan scenario) => Math.Max(1, (int)Math.Ceiling(clock.ToWall(scenario).TotalSeconds));
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, WholeSeconds(keepAlive.Idle));
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, WholeSeconds(keepAlive.Interval));
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, keepAlive.Count);
    }

    private sealed class TrackedStream(NetworkStream inner, long id, ConnectionTracker owner) : Stream
    {
        private int requests;
        private Instant lastActivity = owner.Clock.Now;
        private ConnectionProbe? lastProbe;
        private CancellationTokenSource? idleTimer;
        private int disposed;

        public bool IsClosed => Volatile.Read(ref disposed) != 0;

        /// <summary>Whether the last request written to this connection was <paramref name="probe"/>'s; the caller holds the pool's lock.</summary>
        public bool LastServed(ConnectionProbe probe) => ReferenceEquals(lastProbe, probe);

        /// <summary>Starts the idle timer (none: idle connections never expire); the caller holds the pool's lock.</summary>
        public void WatchIdle(Instant? expiresAt)
        {
            StopIdleTimer();
            if (expiresAt is not Instant at) return;
            idleTimer = new CancellationTokenSource();
            _ = owner.ExpireAsync(at, idleTimer.Token);
        }

        private void StopIdleTimer()
        {
            var timer = Interlocked.Exchange(ref idleTimer, null);
            if (timer is null) return;
            timer.Cancel();
            timer.Dispose();
        }

        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => false;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read > 0) lastActivity = owner.Clock.Now;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Bind();
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Bind();
            inner.Write(buffer, offset, count);
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override void Flush() => inner.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && Interlocked.Exchange(ref disposed, 1) == 0)
            {
                Forget();
                inner.Dispose();
                Interlocked.Decrement(ref owner.open);
            }
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                Forget();
                await inner.DisposeAsync().ConfigureAwait(false);
                Interlocked.Decrement(ref owner.open);
            }
            GC.SuppressFinalize(this);
        }

        /// <summary>Closed: out of Core's pool, its idle timer stopped.</summary>
        private void Forget()
        {
            lock (owner.idle)
            {
                owner.idle.Remove(this);
                StopIdleTimer();
            }
        }

        /// <summary>The first write of a request tells its attempt which connection it rode.</summary>
        private void Bind()
        {
            var now = owner.Clock.Now;
            var probe = ConnectionProbe.Current;
            if (probe is not null && !ReferenceEquals(probe, lastProbe))
            {
                lock (owner.idle)
                {
                    // The handler took it from its pool for this request: it leaves Core's pool too.
                    owner.idle.Remove(this);
                    StopIdleTimer();
                    lastProbe = probe;
                }
                probe.Connection = this;
                probe.ConnectionId = id;
                probe.Reused = requests > 0;
                probe.IdleBefore = probe.Reused ? now - lastActivity : TimeSpan.Zero;
                requests++;
            }
            lastActivity = now;
        }
    }
}
