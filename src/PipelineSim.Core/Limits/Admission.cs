namespace PipelineSim.Core.Limits;

/// <summary>What happened to a connection arriving at a <see cref="ConnectionLimiter{T}"/>.</summary>
public enum Admission
{
    /// <summary>Accepted at once: it holds a slot until released.</summary>
    Accepted,

    /// <summary>Waiting in the accept backlog; a release hands it a slot in arrival order.</summary>
    Queued,

    /// <summary>The backlog is full: the handshake is dropped and the client must retransmit its SYN.</summary>
    Rejected,
}
