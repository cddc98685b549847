using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using PipelineSim.Core.Options;
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
internal sealed class ConnectionTracker(TcpKeepAliveOptions keepAlive, LiveClock clock)
{
    private static long lastId;
    private int open;
    private long lateDialsClosed;

    private LiveClock Clock => clock;

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
        private int disposed;

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
                inner.Dispose();
                Interlocked.Decrement(ref owner.open);
            }
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                await inner.DisposeAsync().ConfigureAwait(false);
                Interlocked.Decrement(ref owner.open);
            }
            GC.SuppressFinalize(this);
        }

        /// <summary>The first write of a request tells its attempt which connection it rode.</summary>
        private void Bind()
        {
            var now = owner.Clock.Now;
            var probe = ConnectionProbe.Current;
            if (probe is not null && !ReferenceEquals(probe, lastProbe))
            {
                lastProbe = probe;
                probe.ConnectionId = id;
                probe.Reused = requests > 0;
                probe.IdleBefore = probe.Reused ? now - lastActivity : TimeSpan.Zero;
                requests++;
            }
            lastActivity = now;
        }
    }
}
