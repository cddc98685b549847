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

    private LiveClock Clock => clock;

    /// <summary>Connections dialled and not yet closed.</summary>
    public int Open => Volatile.Read(ref open);

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            ApplyKeepAlive(socket);
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
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
