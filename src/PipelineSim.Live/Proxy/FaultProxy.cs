using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using PipelineSim.Core.Time;

namespace PipelineSim.Live.Proxy;

/// <summary>
/// An in-process TCP proxy that plays a middlebox on one link: it adds latency, forgets a flow after an idle timeout
/// (then drops its packets silently or answers them with RST), and can break every flow at once on command, like a
/// load balancer restart. The ends see a real broken TCP connection.
/// </summary>
/// <remarks>
/// The proxy terminates TCP on both sides, so the kernel answers keep-alive probes locally: unlike a real middlebox,
/// probes do not refresh the idle timer here; only payload bytes do. Put it where the far end accepts at once (in
/// front of a backend), since it accepts every client before it dials upstream.
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
    private long flowsOpened;
    private long flowsBroken;

    private FaultProxy(string name, FaultProxyOptions options, IPEndPoint upstream, LiveContext context)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems), nameof(options));
        Name = name;
        this.options = options;
        this.upstream = upstream;
        this.context = context;
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

    public long FlowsOpened => Interlocked.Read(ref flowsOpened);

    /// <summary>Flows forgotten by the idle timeout or a command.</summary>
    public long FlowsBroken => Interlocked.Read(ref flowsBroken);

    public int OpenFlows
    {
        get { lock (flows) return flows.Count; }
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

    private async Task AcceptLoopAsync()
    {
        while (!closing.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(closing.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = RunFlowAsync(client);
        }
    }

    private async Task RunFlowAsync(Socket client)
    {
        client.NoDelay = true;
        var server = new Socket(upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await server.ConnectAsync(upstream, closing.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Nothing listens upstream: the client sees a reset, as it would from the real server's kernel.
            Flow.Reset(client);
            server.Dispose();
            return;
        }
        var flow = new Flow(this, client, server);
        lock (flows) flows.Add(flow);
        Interlocked.Increment(ref flowsOpened);
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

    /// <summary>One proxied connection: two pumps and the middlebox's view of the flow.</summary>
    private sealed class Flow(FaultProxy proxy, Socket client, Socket server)
    {
        private const int Alive = -1;
        private readonly object gate = new();
        private Instant lastActivity = proxy.context.Clock.Now;
        private int state = Alive; // Alive, or the FlowBreak it suffered
        private volatile bool clientSpokeLast;

        /// <summary>No request outstanding: the client has sent nothing yet, or the server answered what it sent.</summary>
        public bool IsIdle => !clientSpokeLast;

        public Task RunAsync() => Task.WhenAll(PumpAsync(client, server), PumpAsync(server, client));

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
        /// Reads from one side and forwards to the other while the flow is alive. A flow is forgotten lazily, when
        /// traffic finds it idle for the timeout: nothing observable happens to an idle flow before that.
        /// </summary>
        private async Task PumpAsync(Socket from, Socket to)
        {
            var clock = proxy.context.Clock;
            var delayed = proxy.options.Latency > TimeSpan.Zero ? Channel.CreateUnbounded<(byte[]? Data, Instant Due)>() : null;
            var sender = delayed is null ? Task.CompletedTask : SendDelayedAsync(delayed.Reader, to);
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    int read;
                    try
                    {
                        read = await from.ReceiveAsync(buffer, SocketFlags.None, proxy.closing.Token).ConfigureAwait(false);
                    }
                    catch (SocketException) when (Observe() == Alive)
                    {
                        // A reset from one end travels to the other.
                        Reset(to);
                        return;
                    }

                    switch (Observe())
                    {
                        case (int)FlowBreak.Silent:
                            if (read == 0) return; // that end closed; the other never hears of it
                            continue;
                        case (int)FlowBreak.Reset:
                            Reset(from);
                            return;
                    }

                    if (read > 0) clientSpokeLast = from == client;
                    if (delayed is not null)
                    {
                        delayed.Writer.TryWrite((read == 0 ? null : buffer[..read], clock.Now + proxy.options.Latency));
                        if (read == 0) return;
                        continue;
                    }
                    if (read == 0)
                    {
                        to.Shutdown(SocketShutdown.Send);
                        return;
                    }
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, proxy.closing.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }
            finally
            {
                delayed?.Writer.TryComplete();
                await sender.ConfigureAwait(false);
            }
        }

        private async Task SendDelayedAsync(ChannelReader<(byte[]? Data, Instant Due)> queue, Socket to)
        {
            var clock = proxy.context.Clock;
            try
            {
                await foreach (var (data, due) in queue.ReadAllAsync(proxy.closing.Token).ConfigureAwait(false))
                {
                    await clock.DelayUntil(due, proxy.closing.Token).ConfigureAwait(false);
                    if (Volatile.Read(ref state) != Alive) continue;
                    if (data is null) to.Shutdown(SocketShutdown.Send);
                    else await to.SendAsync(data, SocketFlags.None, proxy.closing.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }
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
