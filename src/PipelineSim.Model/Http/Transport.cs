using PipelineSim.Model.Net;

namespace PipelineSim.Model.Http;

/// <summary>Something waiting for a connection to send a request on (Go's wantConn).</summary>
internal interface IConnWaiter
{
    /// <summary>Whether the wait identified by <paramref name="tag"/> is still on (queue entries of ended waits are stale).</summary>
    bool IsWaiting(long tag);

    /// <summary>A connection for the request: from the idle pool (<paramref name="reused"/>), or a fresh dial.</summary>
    void OnConnection(Flow flow, bool reused, long idleTicks);

    /// <summary>The dial made for this request failed.</summary>
    void OnDialFailed(Failure failure);
}

/// <summary>A client's connection management for one host: Go's http.Transport for HTTP/1.1 or HTTP/2.</summary>
internal interface IRequestTransport
{
    /// <summary>Finds a connection for <paramref name="waiter"/>; the answer may come at once or later.</summary>
    void Acquire(IConnWaiter waiter, long tag);

    /// <summary>A request is about to be sent or answered: prefetch what that reads, <paramref name="depth"/> + 1 references away (see <see cref="Kernel.ITimerHandler.Prefetch"/>).</summary>
    void Prefetch(int depth) { }

    /// <summary>A response arrived on <paramref name="flow"/>: the connection is free for the next request.</summary>
    void Release(Flow flow);

    /// <summary>
    /// The client stops waiting for <paramref name="exchange"/> (deadline, cancel). HTTP/1.1 closes the connection
    /// (Go's cancelRequest); HTTP/2 resets only the stream.
    /// </summary>
    void Abandon(Flow flow, Exchange exchange);

    /// <summary>A transport error on <paramref name="flow"/> (a reset to a request): the connection is done.</summary>
    void Discard(Flow flow);

    /// <summary>Connections established and not closed by the client.</summary>
    int Open { get; }

    /// <summary>Of those, connections idle in the pool.</summary>
    int Idle { get; }
}

/// <summary>
/// Connections open and idle summed over the HTTP/1.1 transports of one writer endpoint, which keep it up to date as
/// they change: a per-agent writer has one transport per agent, and summing a million of them at every sample step
/// would cost more than the pushes between two samples.
/// </summary>
internal sealed class ConnectionTally
{
    public int Open { get; set; }

    public int Idle { get; set; }
}
