namespace PipelineSim.Core.Records;

/// <summary>
/// Exact per-receiver figures for a whole run, kept by the driver at every change (a sampled time series can miss a
/// short spike). <see cref="ConnLimit"/> 0 means unlimited.
/// </summary>
public sealed record ReceiverStats
{
    public required string Receiver { get; init; }

    public required int ConnLimit { get; init; }

    public required int PeakAcceptedConnections { get; init; }

    /// <summary>Time-weighted mean of accepted connections.</summary>
    public double MeanAcceptedConnections { get; init; }

    /// <summary>Total time the accepted connections sat at the limit.</summary>
    public TimeSpan TimeAtLimit { get; init; }

    /// <summary>Completed connections the accept queue holds: the listen backlog + 1 on Linux (<see cref="Limits.AcceptQueue"/>).</summary>
    public int AcceptBacklogCapacity { get; init; }

    public required int PeakAcceptBacklog { get; init; }

    public required long SynDrops { get; init; }

    public long ConnectionsAccepted { get; init; }

    public long RequestsHandled { get; init; }

    /// <summary>Requests that answered 500 because a forward_to target failed.</summary>
    public long RequestsFailed { get; init; }

    /// <summary>
    /// Requests read from connections accepted after their client had hung up (the request and the FIN waited in the
    /// accept backlog): Go starts the handler anyway (<see cref="Server.HungUpClientRace"/>).
    /// </summary>
    public long RequestsAfterHangUp { get; init; }

    /// <summary>
    /// Of <see cref="RequestsAfterHangUp"/>, those the handler forwarded before Go canceled its context: duplicate
    /// pushes, since their client gave up and retries them. They are second-hop pushes, so the first-hop books
    /// (<see cref="ProfileBalance"/>) do not count them; a backend that stores both copies counts one as a duplicate.
    /// </summary>
    public long DuplicateForwards { get; init; }
}
