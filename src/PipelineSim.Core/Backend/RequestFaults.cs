using PipelineSim.Core.Connect;

namespace PipelineSim.Core.Backend;

/// <summary>Something wrong with a request itself, found while reading it, before any admission rule runs.</summary>
public enum RequestFault
{
    /// <summary>The body is longer than the server's limit.</summary>
    BodyTooLarge,

    /// <summary>The body's framing is broken (bad chunk sizes, a body shorter than its Content-Length).</summary>
    BrokenFraming,

    /// <summary>The Content-Type names no codec the Connect handler speaks.</summary>
    UnsupportedMediaType,

    /// <summary>The body did not arrive before the server's read deadline.</summary>
    BodyReadTimedOut,
}

/// <summary>
/// How a server answers a <see cref="RequestFault"/>: an HTTP status, the Connect code of its error body (null: a bare
/// status, no Connect error), or no answer at all and the connection closed.
/// </summary>
public readonly record struct FaultAnswer(int HttpStatus, ConnectCode? Code, bool CloseWithoutAnswer);

/// <summary>
/// One answer per <see cref="RequestFault"/>, for every server the project runs (the live receiver and the backend
/// stub), so that the same bad request is answered the same way wherever it lands. The answers are a Go server's:
/// <list type="bullet">
/// <item>a body over the limit: 413, as <c>http.MaxBytesReader</c> makes Go's server answer, with Connect code
/// <c>invalid_argument</c>, so no client retries a request that can never fit (not <c>resource_exhausted</c>, which
/// Alloy retries as a 429);</item>
/// <item>broken framing: net/http fails the body read; the request is malformed, 400 <c>invalid_argument</c>;</item>
/// <item>an unknown Content-Type: connect-go's handler answers a bare 415 with the types it accepts
/// (<c>connect-go/handler.go</c>, <c>ServeHTTP</c>);</item>
/// <item>a body read past the read deadline: Go's read fails with a timeout and the server closes the connection, so
/// the client sees the connection end without an answer.</item>
/// </list>
/// </summary>
public static class RequestFaults
{
    public static FaultAnswer Answer(RequestFault fault) => fault switch
    {
        RequestFault.BodyTooLarge => new FaultAnswer(413, ConnectCode.InvalidArgument, CloseWithoutAnswer: false),
        RequestFault.BrokenFraming => new FaultAnswer(400, ConnectCode.InvalidArgument, CloseWithoutAnswer: false),
        RequestFault.UnsupportedMediaType => new FaultAnswer(415, null, CloseWithoutAnswer: false),
        RequestFault.BodyReadTimedOut => new FaultAnswer(0, null, CloseWithoutAnswer: true),
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, null),
    };
}
