namespace PipelineSim.Core.Server;

/// <summary>Where a Go server connection is in its <c>conn.serve</c> loop.</summary>
public enum ServerConnectionPhase
{
    /// <summary>In <c>readRequest</c>, waiting for the request headers (a fresh connection starts here).</summary>
    ReadingHeaders,

    /// <summary>Headers read; the handler reads the body.</summary>
    ReadingBody,

    /// <summary>The body is read (Go starts its background read and clears the read deadline); the handler runs.</summary>
    Handling,

    /// <summary>The response is written; <c>bufr.Peek</c> waits for the next request under the idle deadline.</summary>
    Idle,

    /// <summary>A deadline passed, or a write failed: the server closed the connection.</summary>
    Closed,
}

/// <summary>Which deadline of a Go server connection is next, and so what happens when it passes.</summary>
public enum ServerTimeoutKind
{
    /// <summary>No deadline is pending (the handler runs, or every timeout is zero).</summary>
    None,

    /// <summary>The headers did not arrive in time (ReadHeaderTimeout, falling back to ReadTimeout): the connection is closed.</summary>
    ReadHeader,

    /// <summary>The body did not arrive in time (ReadTimeout from the start of the read): the read fails, the connection is closed.</summary>
    ReadBody,

    /// <summary>No next request in time (IdleTimeout, falling back to ReadTimeout): the connection is closed.</summary>
    Idle,
}

/// <summary>The next deadline of a connection: when, and which. <see cref="ServerTimeoutKind.None"/> has no instant.</summary>
public readonly record struct ServerDeadline(PipelineSim.Core.Time.Deadline At, ServerTimeoutKind Kind)
{
    public static ServerDeadline None => default;
}
