using PipelineSim.Core.Connect;
using PipelineSim.Core.Time;
using PipelineSim.Live.Wire;

namespace PipelineSim.Live;

/// <summary>Where a push comes from and the deadline it carries (the caller's Go context, in effect).</summary>
/// <param name="Source">The agent that created the profiles.</param>
/// <param name="Deadline">The caller's deadline; none for an agent's own push.</param>
/// <param name="ParentPushId">The upstream push a receiver is forwarding, if any.</param>
public sealed record PushContext(string Source, Deadline Deadline, long? ParentPushId = null);

/// <summary>A raw <c>/ingest</c> body, forwarded as it came with its content type and query string.</summary>
public sealed record IngestRequest(ReadOnlyMemory<byte> Body, string? ContentType, string QueryString);

/// <summary>One endpoint that gave up, with the error Alloy would log for it.</summary>
public sealed record EndpointFailure(string Endpoint, ConnectError LastError, string Message);

/// <summary>How a push through a writer ended: it fails if any endpoint failed (Go's errors.Join of them).</summary>
public sealed record WriteResult(IReadOnlyList<EndpointFailure> Failures)
{
    public static WriteResult Success { get; } = new([]);

    public bool Succeeded => Failures.Count == 0;

    public string Error => string.Join("\n", Failures.Select(f => f.Message));
}

/// <summary>
/// What a receiver forwards to (Alloy's <c>pyroscope.Appendable</c>): in practice a <c>pyroscope.write</c>.
/// </summary>
public interface IProfilesTarget
{
    string Name { get; }

    /// <summary><c>Append</c>: one series, pushed to every endpoint of the target.</summary>
    Task<WriteResult> AppendAsync(RawProfileSeries series, PushContext context, CancellationToken cancellationToken);

    /// <summary><c>AppendIngest</c>: a raw <c>/ingest</c> body.</summary>
    Task<WriteResult> AppendIngestAsync(IngestRequest request, PushContext context, CancellationToken cancellationToken);
}
