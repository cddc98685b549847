using PipelineSim.Core.Connect;
using PipelineSim.Core.Time;
using PipelineSim.Kernel;
using PipelineSim.Model.Http;
using PipelineSim.Model.Runtime;

namespace PipelineSim.Model.Net;

/// <summary>What a push request carries: which profiles (a slice of one source batch) and how many bytes.</summary>
internal readonly record struct Payload(SourceBatch Batch, int SeriesOffset, int SeriesCount, long Bytes, long PushId)
{
    /// <summary>Series i alone, as a receiver forwards it.</summary>
    public Payload Series(int index, long pushId) =>
        new(Batch, SeriesOffset + index, 1, Batch.BytesOf(SeriesOffset + index), pushId);
}

/// <summary>
/// One HTTP request and its response on one <see cref="Net.Flow"/>: the Connect unary Push. It is its own timer
/// handler for the moments it arrives at either end, so a request in flight costs no allocation beyond itself.
/// </summary>
internal sealed class Exchange : ITimerHandler
{
    private const long AtServer = 1, AtClient = 2, ServerWork = 3, CancelAtServer = 4;

    private readonly World world;

    public Exchange(World world, Flow flow, IExchangeClient client, in Payload payload, long? timeoutMillis)
    {
        this.world = world;
        Flow = flow;
        Client = client;
        Payload = payload;
        TimeoutMillis = timeoutMillis;
    }

    public Flow Flow { get; }

    public IExchangeClient Client { get; }

    public Payload Payload { get; }

    /// <summary>The Connect-Timeout-Ms header the client sent; null when left out.</summary>
    public long? TimeoutMillis { get; }

    public long SentAt { get; set; }

    // ---- client side ----
    public bool IsOutstanding { get; set; }

    public bool Abandoned { get; set; }

    public Exchange? NextOutstanding { get; set; }

    public Exchange? PrevOutstanding { get; set; }

    /// <summary>The answer: <see cref="ConnectCode.Ok"/> or a Connect error code.</summary>
    public ConnectCode ResponseCode { get; set; }

    /// <summary>The Connect error of a failed answer (null with Ok).</summary>
    public Failure? ResponseFailure { get; set; }

    /// <summary>Set when the server could not write an answer: the client sees the transport fail instead.</summary>
    public Failure? TransportFailure { get; set; }

    // ---- server side ----
    /// <summary>Go's write deadline for the answer, set by Core when the server read the request.</summary>
    public Deadline WriteDeadline { get; set; }

    /// <summary>The server-side work on it (a receiver's forwarding, a balancer's upstream request).</summary>
    public IServerWork? Work { get; set; }

    public bool ServerActive { get; set; }

    /// <summary>Where a backend holds this request (queued, serving, hanging).</summary>
    public BackendSlot ServerState { get; set; }

    /// <summary>The server process generation that took the request (a restart makes older work stale).</summary>
    public int ServerEpoch { get; set; }

    public Exchange? NextInBacklog { get; set; }

    public Exchange? NextServerActive { get; set; }

    public Exchange? PrevServerActive { get; set; }

    public void ArriveAtServerAt(long time) => world.Sim.ScheduleAt(time, this, AtServer);

    public void ArriveAtClientAt(long time) => world.Sim.ScheduleAt(time, this, AtClient);

    /// <summary>A timer for the server's own work on this exchange (a backend's service time).</summary>
    public void ScheduleServerWork(long time) => world.Sim.ScheduleAt(time, this, ServerWork);

    /// <summary>An HTTP/2 stream reset reaches the server at <paramref name="time"/>: it cancels this request.</summary>
    public void CancelAtServerAt(long time) => world.Sim.ScheduleAt(time, this, CancelAtServer);

    /// <summary>
    /// At either end the flow comes first. A response then goes to its client (a push, and on through what the push
    /// reads: its transport and caller); a request to the flow's server side; a backend's finished work to the batch
    /// it ingests.
    /// </summary>
    public void Prefetch(long token, int depth)
    {
        switch (token)
        {
            case AtClient:
                if (depth > 0) Client.PrefetchResponsePath(depth - 1);
                else
                {
                    CacheHint.Prefetch(Flow, HotBytes.Flow);
                    CacheHint.Prefetch(Client, HotBytes.Push);
                }
                break;
            case ServerWork:
                if (depth == 0)
                {
                    CacheHint.Prefetch(Flow, HotBytes.Flow);
                    CacheHint.Prefetch(Payload.Batch);
                }
                break;
            default:
                if (depth == 0) CacheHint.Prefetch(Flow, HotBytes.Flow);
                else if (depth == 1) CacheHint.Prefetch(Flow.ServerEnd, HotBytes.ServerConnection);
                break;
        }
    }

    public void OnTimer(long token)
    {
        switch (token)
        {
            case AtServer:
                Flow.Server?.OnRequestArrived(Flow, this);
                break;
            case AtClient:
                if (!Flow.TakeResponse(this)) return;
                if (TransportFailure is Failure failure) Client.OnExchangeFailed(this, failure);
                else Client.OnResponse(this);
                break;
            case ServerWork:
                Flow.Server?.OnWorkTimer(this);
                break;
            case CancelAtServer:
                Flow.Server?.OnStreamReset(this);
                break;
        }
    }
}
