using PipelineSim.Core.Connect;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Backend;

/// <summary>What a backend does with the requests that arrive in an outage window.</summary>
public enum OutageKind
{
    /// <summary>Connections work; every request is answered <c>unavailable</c> (HTTP 503) at once.</summary>
    Unavailable,

    /// <summary>Connections work; nothing is answered (a stuck process) until the client gives up.</summary>
    Hang,

    /// <summary>
    /// Nothing listens: the driver refuses new connections and resets open ones. Admission itself is unaffected (a
    /// request cannot arrive), so <see cref="BackendAdmission{T}.Arrive"/> ignores these windows.
    /// </summary>
    Refuse,
}

/// <summary>An outage from <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive), in the backend's time.</summary>
public readonly record struct OutageWindow(Instant Start, Instant End, OutageKind Kind)
{
    public bool Contains(Instant now) => now >= Start && now < End;
}

/// <summary>A share of served requests answered with <see cref="Code"/> instead of ok.</summary>
public readonly record struct ErrorShare(ConnectCode Code, double Probability);

/// <summary>A token-bucket rate limit; <see cref="PerByte"/>: a request costs its profile bytes, else 1.</summary>
public readonly record struct RateLimit(double Rate, double Burst, bool PerByte);

/// <summary>
/// The numbers behind a backend's admission and answers, as <see cref="BackendAdmission{T}"/> applies them. The
/// option type users write (with defaults and validation) is <c>PipelineSim.Spec.BackendSpec</c>; it builds these.
/// </summary>
public sealed record BackendRules
{
    /// <summary>Requests served at once; 0 means no limit.</summary>
    public int Concurrency { get; init; }

    /// <summary>Requests that may wait for a serving slot; one more is answered <see cref="QueueFullCode"/>.</summary>
    public int QueueCapacity { get; init; } = int.MaxValue;

    public ConnectCode QueueFullCode { get; init; } = ConnectCode.Unavailable;

    public RateLimit? RateLimit { get; init; }

    /// <summary>Windows in start order; where they overlap the earliest-starting one decides.</summary>
    public IReadOnlyList<OutageWindow> Outages { get; init; } = [];

    /// <summary>Tried in list order on one uniform draw per served request.</summary>
    public IReadOnlyList<ErrorShare> Errors { get; init; } = [];
}
