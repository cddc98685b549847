using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace PipelineSim.Live.Hosting;

/// <summary>
/// A connection whose client had already closed its side when the server accepted it: its request and its FIN waited
/// together in the accept backlog. The kernel has taken the FIN by then, so the socket is in CLOSE_WAIT, which Linux
/// reports through <c>TCP_INFO</c> (<c>tcpi_state</c>, the first byte); elsewhere nothing is marked.
/// <para>
/// Go and Kestrel notice that FIN at different moments. Go's <c>(*conn).serve</c> reads the request from the buffer and
/// starts the handler; only once the handler has read the body to its end (<c>registerOnHitEOF(req.Body,
/// w.conn.r.startBackgroundRead)</c>, golang/go src/net/http/server.go) does a background read look past it, find the
/// FIN and cancel the request's context, racing the handler. Kestrel's socket transport reads ahead: the FIN ends its
/// receive loop at once, completes the connection's input and fires <see cref="BaseConnectionContext.ConnectionClosed"/>;
/// Kestrel then aborts the request (<c>RequestAborted</c>), and its body reader fails a read that finds the input
/// complete ("Unexpected end of request content") even with the whole body buffered. A server that holds the FIN back
/// (<see cref="MarkIfHungUp"/> with <c>holdFin</c>) lets Kestrel see it only at Go's moments: when the handler calls
/// <see cref="StartBackgroundRead"/> (it has read the body, or is done), when Kestrel asks for bytes beyond those
/// buffered (Go's read would hit the end there too: a request cut short), or when the connection ends. The request's
/// bytes are untouched, and the connection still closes once its handler is done.
/// </para>
/// </summary>
internal sealed class PeerHangUp
{
    private const int IpProtoTcp = 6;
    private const int TcpInfo = 11;
    private const byte TcpCloseWait = 8; // include/net/tcp_states.h

    private static readonly object ItemKey = new();

    private readonly object gate = new();
    // What Kestrel sees as the connection's close: canceled once the FIN has arrived and the hold has ended. It has no
    // timer, so it needs no disposing.
    private readonly CancellationTokenSource finSeen = new();
    private bool finArrived;
    private bool backgroundRead;
    private int raced;

    /// <summary>Whether the hold has ended: Kestrel may see the FIN (at once if it has come).</summary>
    private bool HoldEnded
    {
        get
        {
            lock (gate) return backgroundRead;
        }
    }

    private PeerHangUp()
    {
    }

    /// <summary>
    /// Marks a freshly accepted connection whose peer had hung up, and answers the connection the server should see:
    /// with <paramref name="holdFin"/>, a marked connection whose FIN reaches Kestrel only after
    /// <see cref="StartBackgroundRead"/>; otherwise <paramref name="connection"/> itself.
    /// </summary>
    public static ConnectionContext MarkIfHungUp(Socket accepted, ConnectionContext connection, bool holdFin)
    {
        if (!IsCloseWait(accepted)) return connection;
        var mark = new PeerHangUp();
        connection.Items[ItemKey] = mark;
        return holdFin ? new FinHeldConnection(connection, mark) : connection;
    }

    /// <summary>The mark of the connection the request of <paramref name="http"/> came on, or null for an ordinary one.</summary>
    public static PeerHangUp? Of(HttpContext http) =>
        http.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ItemKey, out var mark) == true ? mark as PeerHangUp : null;

    /// <summary>True the first time only: this connection's request is being counted (by the race, or as ended before it).</summary>
    public bool TryCount() => Interlocked.Exchange(ref raced, 1) == 0;

    /// <summary>
    /// The handler has read the request body to its end, or is done: Go's connReader starts its background read here,
    /// and Kestrel may now see the FIN (if it has come), on another thread, as Go's read runs on its own goroutine.
    /// </summary>
    public void StartBackgroundRead()
    {
        lock (gate)
        {
            if (backgroundRead) return;
            backgroundRead = true;
            if (!finArrived) return;
        }
        _ = finSeen.CancelAsync();
    }

    private void OnFinArrived()
    {
        lock (gate)
        {
            if (finArrived) return;
            finArrived = true;
            if (!backgroundRead) return;
        }
        _ = finSeen.CancelAsync();
    }

    private static bool IsCloseWait(Socket accepted)
    {
        if (!OperatingSystem.IsLinux()) return false;
        Span<byte> info = stackalloc byte[8];
        try
        {
            return accepted.GetRawSocketOption(IpProtoTcp, TcpInfo, info) >= 1 && info[0] == TcpCloseWait;
        }
        catch (SocketException)
        {
            // Reset meanwhile: Kestrel finds out on its first read, and no request is handled.
            return false;
        }
    }

    /// <summary>
    /// The transport's connection with its <see cref="ConnectionClosed"/> held until the mark's background read starts.
    /// Kestrel's HTTP/1.1 connection listens for the peer's close on exactly this token
    /// (<c>HttpConnection.ProcessRequestsAsync</c>, dotnet/aspnetcore src/Servers/Kestrel/Core/src/Internal/HttpConnection.cs),
    /// and reads the request from <see cref="Transport"/>, whose input hides its end the same while. Everything else
    /// passes through to the socket's connection. An abort or the end of the connection lets the hold go too.
    /// </summary>
    private sealed class FinHeldConnection : DelegatingConnection
    {
        private readonly PeerHangUp mark;
        private readonly CancellationTokenRegistration transportClosed;

        public FinHeldConnection(ConnectionContext inner, PeerHangUp mark) : base(inner)
        {
            this.mark = mark;
            transportClosed = inner.ConnectionClosed.UnsafeRegister(static state => ((PeerHangUp)state!).OnFinArrived(), mark);
            Transport = new FinHeldPipe(inner.Transport, mark);
        }

        public override CancellationToken ConnectionClosed
        {
            get => mark.finSeen.Token;
            set => throw new NotSupportedException("The peer's close is held back until the request body is read.");
        }

        /// <summary>The transport whose input hides its completion; a middleware may wrap it further.</summary>
        public override IDuplexPipe Transport { get; set; }

        public override void Abort(ConnectionAbortedException abortReason)
        {
            mark.StartBackgroundRead();
            base.Abort(abortReason);
        }

        public override void Abort()
        {
            mark.StartBackgroundRead();
            base.Abort();
        }

        public override async ValueTask DisposeAsync()
        {
            mark.StartBackgroundRead();
            await transportClosed.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed class FinHeldPipe(IDuplexPipe inner, PeerHangUp mark) : IDuplexPipe
    {
        public PipeReader Input { get; } = new FinHeldReader(inner.Input, mark);

        public PipeWriter Output => inner.Output;
    }

    /// <summary>
    /// The transport's input with its completion (the FIN) hidden while the mark holds it and the buffer still has bytes
    /// Kestrel has not examined. A read that finds nothing new after Kestrel examined everything asks for more than the
    /// peer sent: the completion is shown then, and the hold ends.
    /// </summary>
    private sealed class FinHeldReader(PipeReader inner, PeerHangUp mark) : DelegatingPipeReader(inner)
    {
        private ReadOnlySequence<byte> last;
        private long unconsumed = -1; // bytes left after the last AdvanceTo; -1 before the first
        private bool examinedAll;

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
            Hide(await base.ReadAsync(cancellationToken).ConfigureAwait(false));

        public override bool TryRead(out ReadResult result)
        {
            if (!base.TryRead(out result)) return false;
            result = Hide(result);
            return true;
        }

        private ReadResult Hide(ReadResult result)
        {
            last = result.Buffer;
            if (!result.IsCompleted || mark.HoldEnded) return result;
            bool nothingNew = examinedAll && result.Buffer.Length == unconsumed;
            if (nothingNew)
            {
                mark.StartBackgroundRead();
                return result;
            }
            return new ReadResult(result.Buffer, result.IsCanceled, isCompleted: false);
        }

        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            // Measured before the inner reader may hand the consumed segments back to the pool.
            unconsumed = last.Slice(consumed).Length;
            examinedAll = last.Slice(examined).IsEmpty;
            last = default;
            base.AdvanceTo(consumed, examined);
        }
    }
}
