using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using PipelineSim.Core.Time;
using PipelineSim.Live.Hosting;

namespace PipelineSim.Live.Proxy;

/// <summary>What the proxy knows about one open flow (the control API lists these).</summary>
public sealed record FlowInfo(long Id, string Client, Instant OpenedAt, TimeSpan Idle, string State, long BytesToUpstream,
    long BytesToClient, long BufferedBytes);

/// <summary>
/// An in-process TCP proxy that plays a middlebox on one link: it adds latency, forgets a flow after an idle timeout
/// (then drops its packets silently or answers them with RST), and can break every flow at once on command, like a
/// load balancer restart. The ends see a real broken TCP connection.
/// </summary>
/// <remarks>
/// The proxy terminates TCP on both sides, so the kernel answers keep-alive probes locally: unlike a real middlebox,
/// probes do not refresh the idle timer here; only payload bytes do. Put it where the far end accepts at once (in
/// front of a backend), since it accepts every client before it dials upstream. Each direction of a flow buffers at
/// most <see cref="FaultProxyOptions.MaxBufferedBytesPerDirection"/>; beyond that the proxy stops reading, so a peer
/// that does not read slows its sender down instead of filling the proxy's memory.
/// </remarks>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly FaultProxyOptions options;
    private readonly LiveContext context;
    private readonly IPEndPoint upstream;
    private readonly Socket listener;
    private readonly CancellationTokenSource closing = new();
    private readonly HashSet<Flow> flows = [];
    private readonly Task acceptLoop;
    private readonly int chunksPerDirection;
    private long latencyTicks;
    private long flowsOpened;
    private long lastFlowId;
    private long flowsBroken;
    private long bytesDropped;
    private long bufferedBytes;

    private FaultProxy(string name, FaultProxyOptions options, IPEndPoint upstream, LiveContext context)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems), nameof(options));
        Name = name;
        this.options = options;
        this.upstream = upstream;
        this.context = context;
        latencyTicks = options.Latency.Ticks;
        chunksPerDirection = (int)Math.Max(1, ((long)options.MaxBufferedBytesPerDirection + FaultProxyOptions.ChunkBytes - 1)
                                              / FaultProxyOptions.ChunkBytes);
        var bind = new IPEndPoint(IPAddress.Parse(options.ListenAddress), options.ListenPort);
        listener = new Socket(bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(bind);
        listener.Listen(512);
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
        acceptLoop = AcceptLoopAsync();
    }

    public string Name { get; }

    public IPEndPoint EndPoint { get; }

    public Uri BaseUri => new($"http://{EndPoint}");

    public IPEndPoint Upstream => upstream;

    public long FlowsOpened => Interlocked.Read(ref flowsOpened);

    /// <summary>Flows forgotten by the idle timeout or a command.</summary>
    public long FlowsBroken => Interlocked.Read(ref flowsBroken);

    /// <summary>Bytes that arrived on a silently forgotten flow and went nowhere, as a middlebox drops them.</summary>
    public long BytesDropped => Interlocked.Read(ref bytesDropped);

    public int OpenFlows
    {
        get { lock (flows) return flows.Count; }
    }

    /// <summary>Payload bytes read from one end and not yet written to the other, over every flow.</summary>
    public long BufferedBytes => Interlocked.Read(ref bufferedBytes);

    /// <summary>The most a flow buffers per direction (whole chunks).</summary>
    public long MaxBufferedBytesPerDirection => (long)chunksPerDirection * FaultProxyOptions.ChunkBytes;

    /// <summary>The latency the proxy started with.</summary>
    public TimeSpan ConfiguredLatency => options.Latency;

    /// <summary>Added one way to every chunk from now on (chunks already buffered keep their due time).</summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref latencyTicks));
        set
        {
            if (value < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(value), "latency is negative");
            Interlocked.Exchange(ref latencyTicks, value.Ticks);
        }
    }

    public static FaultProxy Start(string name, FaultProxyOptions options, IPEndPoint upstream, LiveContext context) =>
        new(name, options, upstream, context);

    /// <summary>Forgets every open flow at once (new connections still pass): a middlebox restart.</summary>
    public int BreakAllFlows(FlowBreak mode = FlowBreak.Silent)
    {
        Flow[] open;
        lock (flows) open = [.. flows];
        return open.Count(flow => flow.Break(mode));
    }

    /// <summary>
    /// Forgets the flows that are idle now (new connections and busy ones pass): a middlebox failover or state flush.
    /// A flow is idle when no request is outstanding on it: nothing has been sent yet, or the server spoke last (HTTP/1.1
    /// alternates request and response on a connection).
    /// </summary>
    public int BreakIdleFlows(FlowBreak mode = FlowBreak.Silent)
    {
        Flow[] open;
        lock (flows) open = [.. flows];
        return open.Count(flow => flow.IsIdle && flow.Break(mode));
    }

    /// <summary>Forgets one flow; null when no open flow has that id, false when it was already forgotten.</summary>
    public bool? BreakFlow(long id, FlowBreak mode = FlowBreak.Silent)
    {
        Flow? flow;
        lock (flows) flow = flows.FirstOrDefault(f => f.Id == id);
        return flow?.Break(mode);
    }

    /// <summary>The open flows, oldest first.</summary>
    public IReadOnlyList<FlowInfo> Flows()
    {
        Flow[] open;
        lock (flows) open = [.. flows];
        var now = context.Clock.Now;
        return open.OrderBy(f => f.Id).Select(f => f.Describe(now)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await closing.CancelAsync().ConfigureAwait(false);
        listener.Dispose();
        Flow[] open;
        lock (flows) open = [.. flows];
        foreach (var flow in open) flow.Close();
        try
        {
            await acceptLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        closing.Dispose();
    }

    /// <summary>Accepts as Go's servers do: out of descriptors it backs off and keeps going (<see cref="AcceptLoop"/>).</summary>
    private async Task AcceptLoopAsync()
    {
        // Each flow holds two descriptors: the client's and the one dialled upstream.
        var accepts = new AcceptLoop(listener, Name, context.Warn, descriptorsPerConnection: 2);
        while (!closing.IsCancellationRequested)
        {
            Socket? client;
            try
            {
                client = await accepts.AcceptAsync(closing.Token).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                context.Warn?.Invoke($"{Name}: accept: {e.Message}; no longer accepting");
                return;
            }
            if (client is null) return;
            _ = RunFlowAsync(client);
        }
    }

    private async Task RunFlowAsync(Socket client)
    {
        long id = Interlocked.Increment(ref lastFlowId); // in accept order: the dials below may finish in any order
        Socket? server = null;
        try
        {
            client.NoDelay = true;
            server = new Socket(upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await server.ConnectAsync(upstream, closing.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Nothing listens upstream, or no descriptor is left for the dial: the client sees a reset, as it would
            // from the real server's kernel.
            Flow.Reset(client);
            server?.Dispose();
            return;
        }
        var flow = new Flow(this, id, client, server);
        Interlocked.Increment(ref flowsOpened);
        lock (flows) flows.Add(flow);
        try
        {
            await flow.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            lock (flows) flows.Remove(flow);
            flow.Close();
        }
    }

    /// <summary>A chunk read from one end, due at the other end once the latency has passed; null data is a FIN.</summary>
    private readonly record struct Chunk(byte[]? Data, int Length, Instant Due);

    /// <summary>One proxied connection: two pumps and the middlebox's view of the flow.</summary>
    private sealed class Flow(FaultProxy proxy, long id, Socket client, Socket server)
    {
        private const int Alive = -1;
        private readonly object gate = new();
        private readonly string clientName = client.RemoteEndPoint?.ToString() ?? "?";
        private readonly Instant openedAt = proxy.context.Clock.Now;
        private readonly CancellationTokenSource ended = new();
        private Instant lastActivity = proxy.context.Clock.Now;
        private int state = Alive; // Alive, or the FlowBreak it suffered
        private volatile bool clientSpokeLast;
        private long bytesToUpstream;
        private long bytesToClient;
        private long buffered;

        public long Id => id;

        /// <summary>No request outstanding: the client has sent nothing yet, or the server answered what it sent.</summary>
        public bool IsIdle => !clientSpokeLast;

        public Task RunAsync() => Task.WhenAll(PumpAsync(client, server), PumpAsync(server, client));

        public FlowInfo Describe(Instant now)
        {
            Instant last;
            int current;
            lock (gate)
            {
                last = lastActivity;
                current = state;
            }
            string stateName = current == Alive ? "alive" : current == (int)FlowBreak.Silent ? "broken-silent" : "broken-reset";
            return new FlowInfo(id, clientName, openedAt, now - last, stateName, Interlocked.Read(ref bytesToUpstream),
                Interlocked.Read(ref bytesToClient), Interlocked.Read(ref buffered));
        }

        /// <summary>Marks the flow forgotten; false if it already was.</summary>
        public bool Break(FlowBreak mode)
        {
            lock (gate)
            {
                if (state != Alive) return false;
                state = (int)mode;
            }
            Interlocked.Increment(ref proxy.flowsBroken);
            return true;
        }

        public void Close()
        {
            try
            {
                ended.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
            client.Dispose();
            server.Dispose();
        }

        /// <summary>An RST instead of a FIN: close with a zero linger time.</summary>
        public static void Reset(Socket socket)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
            socket.Dispose();
        }

        /// <summary>
        /// Reads from one side into a bounded queue that a sender drains to the other side once each chunk's latency
        /// has passed. A full queue stops the reading (backpressure). A flow is forgotten lazily, when traffic finds
        /// it idle for the timeout: nothing observable happens to an idle flow before that. An end that fails (a
        /// reset, a send that cannot complete) ends the whole flow, so nothing stays buffered for a dead peer.
        /// </summary>
        private async Task PumpAsync(Socket from, Socket to)
        {
            var clock = proxy.context.Clock;
            var queue = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(proxy.chunksPerDirection)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            var sender = SendAsync(queue.Reader, to, toUpstream: from == client);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(proxy.closing.Token, ended.Token);
            try
            {
                while (true)
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(FaultProxyOptions.ChunkBytes);
                    int read;
                    try
                    {
                        read = await from.ReceiveAsync(buffer.AsMemory(0, FaultProxyOptions.ChunkBytes), SocketFlags.None, stop.Token)
                            .ConfigureAwait(false);
                    }
                    catch (SocketException) when (Observe() == Alive)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        // A reset from one end travels to the other.
                        Reset(to);
                        return;
                    }
                    catch
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        throw;
                    }

                    switch (Observe())
                    {
                        case (int)FlowBreak.Silent:
                            ArrayPool<byte>.Shared.Return(buffer);
                            if (read == 0) return; // that end closed; the other never hears of it
                            Interlocked.Add(ref proxy.bytesDropped, read);
                            continue;
                        case (int)FlowBreak.Reset:
                            ArrayPool<byte>.Shared.Return(buffer);
                            Reset(from);
                            return;
                    }

                    if (read > 0) clientSpokeLast = from == client;
                    var due = clock.Now + proxy.Latency;
                    if (read == 0)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        await queue.Writer.WriteAsync(new Chunk(null, 0, due), stop.Token).ConfigureAwait(false);
                        return;
                    }
                    AddBuffered(read);
                    try
                    {
                        await queue.Writer.WriteAsync(new Chunk(buffer, read, due), stop.Token).ConfigureAwait(false);
                    }
                    catch
                    {
                        Release(buffer, read);
                        throw;
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or ChannelClosedException)
            {
            }
            finally
            {
                queue.Writer.TryComplete();
                await sender.ConfigureAwait(false);
            }
        }

        private async Task SendAsync(ChannelReader<Chunk> queue, Socket to, bool toUpstream)
        {
            var clock = proxy.context.Clock;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(proxy.closing.Token, ended.Token);
            try
            {
                await foreach (var chunk in queue.ReadAllAsync(stop.Token).ConfigureAwait(false))
                {
                    try
                    {
                        await clock.DelayUntil(chunk.Due, stop.Token).ConfigureAwait(false);
                        if (Volatile.Read(ref state) != Alive) continue;
                        if (chunk.Data is null)
                        {
                            to.Shutdown(SocketShutdown.Send);
                            continue;
                        }
                        await to.SendAsync(chunk.Data.AsMemory(0, chunk.Length), SocketFlags.None, stop.Token).ConfigureAwait(false);
                        if (toUpstream) Interlocked.Add(ref bytesToUpstream, chunk.Length);
                        else Interlocked.Add(ref bytesToClient, chunk.Length);
                    }
                    finally
                    {
                        if (chunk.Data is not null) Release(chunk.Data, chunk.Length);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // The far end is gone or the flow was closed: end the flow so the other pump stops reading too.
                Close();
            }
            finally
            {
                // Whatever is still queued will never be sent: give its memory back.
                while (queue.TryRead(out var left))
                    if (left.Data is not null) Release(left.Data, left.Length);
            }
        }

        private void AddBuffered(int bytes)
        {
            Interlocked.Add(ref buffered, bytes);
            Interlocked.Add(ref proxy.bufferedBytes, bytes);
        }

        private void Release(byte[] buffer, int bytes)
        {
            Interlocked.Add(ref buffered, -bytes);
            Interlocked.Add(ref proxy.bufferedBytes, -bytes);
            ArrayPool<byte>.Shared.Return(buffer);
        }

        /// <summary>Traffic arrived: applies the idle timeout, refreshes the timer while alive, returns the state.</summary>
        private int Observe()
        {
            var now = proxy.context.Clock.Now;
            bool expired;
            lock (gate)
            {
                if (state != Alive) return state;
                expired = proxy.options.IdleTimeout is TimeSpan idle && now - lastActivity >= idle;
                if (!expired)
                {
                    lastActivity = now;
                    return Alive;
                }
            }
            Break(proxy.options.Mode);
            return Volatile.Read(ref state);
        }
    }
}
