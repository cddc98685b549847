namespace PipelineSim.Core.Retry;

/// <summary>Which of <c>pyroscope.write</c>'s two paths a push loop runs; only the wording of its error differs.</summary>
public enum WriteApi
{
    /// <summary>The Connect <c>Push</c> RPC: "failed to push to endpoint ...".</summary>
    Push,

    /// <summary>The <c>/ingest</c> passthrough: "failed to ingest to endpoint ...".</summary>
    Ingest,
}
