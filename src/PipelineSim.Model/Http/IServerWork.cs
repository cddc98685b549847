namespace PipelineSim.Model.Http;

/// <summary>What a server is doing for one request it handles (a receiver's forwarding, a balancer's upstream request).</summary>
internal interface IServerWork
{
    /// <summary>The request's context is canceled (the client hung up, or the server restarts).</summary>
    void Cancel();
}

/// <summary>Where a backend holds a request it handles.</summary>
internal enum BackendSlot : byte
{
    /// <summary>Not held (answered, or not yet admitted).</summary>
    None,

    /// <summary>Waiting in the backend's FIFO queue for a serving slot.</summary>
    Queued,

    /// <summary>Being served: its service time is running.</summary>
    Serving,

    /// <summary>Held by a hanging outage: no answer until the client gives up.</summary>
    Hanging,
}
