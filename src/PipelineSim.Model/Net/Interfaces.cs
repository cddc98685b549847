using PipelineSim.Model.Http;

namespace PipelineSim.Model.Net;

/// <summary>The dialing side of flows: a writer endpoint's transport, or an L7 balancer's upstream pool.</summary>
internal interface IFlowOwner
{
    /// <summary>The component name links are looked up by.</summary>
    string ClientName { get; }

    /// <summary>The handshake completed (SYN-ACK arrived): the flow can carry requests.</summary>
    void OnEstablished(Flow flow);

    /// <summary>The dial failed: refused, or every SYN retransmission unanswered.</summary>
    void OnDialFailed(Flow flow, Failure failure);

    /// <summary>
    /// The client side learned the flow is gone (FIN or RST arrived, keep-alive or ping declared it dead) and closed
    /// it; exchanges still outstanding on it have been failed before this call.
    /// </summary>
    void OnFlowLost(Flow flow);
}

/// <summary>Who waits for the answer to an exchange.</summary>
internal interface IExchangeClient
{
    /// <summary>A response arrived: <see cref="Exchange.ResponseCode"/> says which.</summary>
    void OnResponse(Exchange exchange);

    /// <summary>The transport failed under the exchange (reset, EOF, retransmission timeout).</summary>
    void OnExchangeFailed(Exchange exchange, Failure failure);

    /// <summary>A response is about to arrive: prefetch what handling it reads, <paramref name="depth"/> + 1 references away (see <see cref="Kernel.ITimerHandler.Prefetch"/>).</summary>
    void PrefetchResponsePath(int depth) { }
}

/// <summary>Where a dial goes: a server directly, or an L4 balancer that pins the connection to one of its targets.</summary>
internal interface IDialTarget
{
    string Name { get; }

    /// <summary>
    /// The server a new connection reaches, or null when nothing accepts it now (refused); through an L4 balancer,
    /// also the balancer and the index of the target it chose.
    /// </summary>
    HttpServer? Route(out Components.L4Balancer? via, out int targetIndex);
}
